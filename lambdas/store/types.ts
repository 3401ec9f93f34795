import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SortIndexName, StorePlan } from '../scim/filter/plan';
import type { ResourceType } from './keys';
import type { Json, MemberRef, StoredResource } from './items';

/** Options of the store. */
export interface ScimStoreOptions {
  /** The document client (created once per container, injectable for tests). */
  doc: DynamoDBDocumentClient;
  /** The tenant's table. */
  tableName: string;
  /**
   * The tenant's key space: a prefix every partition key starts with (keys.ts). Empty for a
   * per-tenant (silo) table; one segment ending in `#` per tenant in a pooled table. @default ''
   */
  keyPrefix?: string;
  /** Clock. @default () => new Date() */
  now?: () => Date;
  /** Id generator. @default crypto.randomUUID */
  newId?: () => string;
  /** How many resources a filter without a key lookup may examine before TooManyResultsError. @default 2000 */
  maxScanItems?: number;
  /** How many membership items a `replaceAll` may read to compute its difference. @default 200000 */
  maxReplaceRead?: number;
  /** How many groups a nested-group walk (cycle check, indirect groups) may visit. @default 1000 */
  maxNestedGroups?: number;
  /** Days an audit record is kept (TTL). @default 400 */
  auditRetentionDays?: number;
  /** Seconds a startIndex page-cursor item lives (TTL). @default 900 */
  pageCursorTtlSeconds?: number;
  /**
   * Serve sortBy and sw/gt/ge/lt/le ranges from the sorted indexes (GSI2-5). False while a table
   * deployed before they existed is being upgraded (docs/runbooks/upgrade.md): queries then take
   * the bounded paths (400 tooMany past maxScanItems) instead of reading half-built indexes.
   * @default true
   */
  sortedIndexes?: boolean;
}

/** A query over one resource type: a key plan from the filter planner plus the full filter as a predicate. */
export interface ResourceQuery {
  /** The key lookup that yields a superset of the matches (lambdas/scim/filter/plan.ts). */
  plan: StorePlan;
  /** The full filter; omitted when there is no filter (then listing pages stream and totalResults comes from the counter). */
  predicate?: (r: StoredResource) => boolean;
  /** Identity of filter + sort (e.g. the normalized filter string and sortBy/sortOrder); binds cursors to their query. @default '' */
  fingerprint?: string;
  /** 1-based index (RFC 7644 §3.4.2.4). @default 1 */
  startIndex?: number;
  /** Page size; 0 answers totalResults only. */
  count: number;
  /** RFC 9865 cursor paging: `''` asks for the first page, a previous `nextCursor` for the next. */
  cursor?: string;
  /** Sort key extractor (sortBy); sorting needs the whole result, so it is bounded like a filter. */
  sortBy?: (r: StoredResource) => unknown;
  /** @default 'ascending' */
  sortOrder?: 'ascending' | 'descending';
  /**
   * The sorted index whose order `sortBy` is (lambdas/scim/queryCapabilities.ts sortIndexOf):
   * then pages are read in that order from the index, at any size. Without it sortBy sorts at
   * most maxScanItems resources in memory.
   */
  sortIndex?: SortIndexName;
}

/** A page of resources. */
export interface QueryResult {
  resources: StoredResource[];
  totalResults: number;
  /** RFC 9865: present when cursor paging was asked for and more results remain. */
  nextCursor?: string;
}

/** A group a user belongs to (User `groups`, RFC 7643 §4.1.2). */
export interface UserGroup {
  value: string;
  display?: string;
  type: 'direct' | 'indirect';
}

/** A member to add: `type` may be omitted, the store finds it. */
export type MemberInput = Omit<MemberRef, 'type'> & { type?: ResourceType };

/** A member change of a group from its current state (updateGroup, a convenience of the store). */
export interface GroupChange {
  /** New attributes (without members) from the current resource. */
  data?: (current: StoredResource) => Json;
  /** Members to add; existing ones are left as they are. */
  add?: readonly MemberInput[];
  /** Member ids to remove; absent ones are ignored. */
  remove?: readonly string[];
  /** The whole new member list (PUT, `replace members`): only the difference is written. */
  replaceAll?: readonly MemberInput[];
}

/** A change of a group read at some version (writeGroup): new attributes and a member delta. */
export interface GroupWriteChange {
  /** New attributes (without members). */
  data: Json;
  /** Members to add; existing ones are left as they are. */
  add?: readonly MemberInput[];
  /** Member ids to remove; absent ones are ignored. */
  remove?: readonly string[];
  /** The whole new member list (PUT, `replace members`): only the difference is written. */
  replaceAll?: readonly MemberInput[];
}

/** What a group write did: the group as written and the members really added and removed. */
export interface GroupWrite {
  resource: StoredResource;
  added: MemberRef[];
  removed: MemberRef[];
}

/** What a delete left to do: large groups finish their membership cleanup with `continueCleanup`. */
export interface DeleteResult {
  /** False when membership items remain to be deleted (invisible through the API meanwhile). */
  complete: boolean;
}

/** An audit record (DELETE, deactivation). */
export interface AuditRecord {
  at: string;
  action: 'delete' | 'deactivate' | 'reactivate';
  resourceType: ResourceType;
  resourceId: string;
  externalId?: string;
  actor?: string;
}

/** The version(s) an If-Match allows: a write proceeds when the stored version is one of them. */
export type ExpectedVersion = number | readonly number[];

/** Options of every write: the If-Match version(s) and who asked (for the audit trail). */
export interface WriteOptions {
  expectedVersion?: ExpectedVersion;
  actor?: string;
}

/** Options of a create. */
export interface CreateOptions {
  /** The new resource's id, chosen beforehand (ScimStore.newId) so a rollback journal holds it before the create. @default a new UUID */
  readonly id?: string;
}
