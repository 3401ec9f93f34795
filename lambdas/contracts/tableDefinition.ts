/**
 * The single table's key schema and indexes: the one definition that both the CDK construct
 * (lib/) and the DynamoDB Local harness (lambdas/local/) build the table from, and the store reads
 * its index and attribute names from. Pure data, no AWS SDK import, so lib/ can read it without
 * pulling runtime code.
 */
export interface IndexDefinition {
  /** Index name. */
  readonly indexName: string;
  /** Partition key attribute (string). */
  readonly partitionKey: string;
  /** Sort key attribute (string). */
  readonly sortKey: string;
  /** What the index is for. */
  readonly purpose: string;
  /**
   * What the index holds of each item: ALL where the store reads whole items from it, KEYS_ONLY
   * where it reads keys and fetches the items (a write then touches the index only when its keys
   * change, not on every PATCH).
   */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

/** The table layout shared by every tenant. */
export const TABLE_DEFINITION = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Items with this attribute (epoch seconds) expire: page cursors, tombstones. */
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      indexName: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
      purpose: 'reverse membership: member id -> groups that hold it (User.groups, cleanup on delete)',
      projection: 'ALL',
    },
    {
      indexName: 'GSI2',
      partitionKey: 'GSI2PK',
      sortKey: 'GSI2SK',
      purpose: 'listing: resource type -> resources in creation order (paging, sortBy=meta.created, meta.created ranges)',
      projection: 'ALL',
    },
    {
      indexName: 'GSI3',
      partitionKey: 'GSI3PK',
      sortKey: 'GSI3SK',
      purpose: 'name order: Users by userName, Groups by displayName, case-insensitive (sortBy, sw)',
      projection: 'KEYS_ONLY',
    },
    {
      indexName: 'GSI4',
      partitionKey: 'GSI4PK',
      sortKey: 'GSI4SK',
      purpose: 'modification order: resources by meta.lastModified (sortBy, delta extraction with gt/ge/lt/le)',
      projection: 'KEYS_ONLY',
    },
    {
      indexName: 'GSI5',
      partitionKey: 'GSI5PK',
      sortKey: 'GSI5SK',
      purpose: 'Users by displayName, case-insensitive (sortBy, sw, eq); Groups use GSI3 for it',
      projection: 'KEYS_ONLY',
    },
  ] as const satisfies readonly IndexDefinition[],
} as const;

/** Names of the global secondary indexes. */
export type IndexName = (typeof TABLE_DEFINITION.globalSecondaryIndexes)[number]['indexName'];

/** The reverse-membership index (member id -> groups holding it). */
export const REVERSE_MEMBERSHIP_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[0];

/** The listing index (resource type -> resources in creation order). */
export const LISTING_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[1];

/** Users by userName, Groups by displayName. */
export const NAME_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[2];

/** Resources by meta.lastModified. */
export const MODIFIED_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[3];

/** Users by displayName. */
export const USER_DISPLAY_NAME_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[4];
