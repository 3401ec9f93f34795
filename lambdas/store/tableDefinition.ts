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
    },
    {
      indexName: 'GSI2',
      partitionKey: 'GSI2PK',
      sortKey: 'GSI2SK',
      purpose: 'listing: resource type -> resources in a stable order (paging, sorting, bounded filters)',
    },
  ] as const satisfies readonly IndexDefinition[],
} as const;

/** Names of the global secondary indexes. */
export type IndexName = (typeof TABLE_DEFINITION.globalSecondaryIndexes)[number]['indexName'];

/** The reverse-membership index (member id -> groups holding it). */
export const REVERSE_MEMBERSHIP_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[0];

/** The listing index (resource type -> resources in creation order). */
export const LISTING_INDEX = TABLE_DEFINITION.globalSecondaryIndexes[1];
