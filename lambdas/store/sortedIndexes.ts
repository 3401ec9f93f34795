import type { SortIndexName } from '../scim/filter/plan';
import type { Json } from './items';
import type { KeySpace, ResourceType } from './keys';
import { LISTING_INDEX, MODIFIED_INDEX, NAME_INDEX, USER_DISPLAY_NAME_INDEX, type IndexDefinition } from '../contracts/tableDefinition';

/**
 * The sorted indexes behind `sortBy` and range filters (lambdas/scim/queryCapabilities.ts): which
 * GSI holds which order, and how a value becomes a sort key there. One partition per tenant,
 * resource type and order (`ORDER#USER#userName`): a Query reads it in order, a page at a time.
 *
 * Sort keys keep the order sortKeyOf (lambdas/scim/sortKey.ts) computes in memory, because
 * DynamoDB compares them as UTF-8 bytes, which is code point order:
 * - names are lowercased (userName and displayName are caseExact false, RFC 7643 §2.3.1) behind
 *   `1`; a resource without one gets `2`, after every name, so it sorts last ascending and first
 *   descending (RFC 7644 §3.4.2.3) and the index still holds every resource (totalResults is the
 *   type's counter). Names are cut to MAX_NAME_KEY_BYTES (DynamoDB's 1,024-byte sort key limit):
 *   names sharing that many leading bytes tie, and `sw` reads a superset the filter then narrows;
 * - instants are the ISO 8601 strings the store writes (`toISOString`, fixed width, UTC), which
 *   compare as text in time order.
 *
 * Hot partitions: all of a tenant's Users share one partition per index. DynamoDB splits a busy
 * partition by sort-key range, but not GSI4's, whose writes all land at its end (the newest
 * lastModified). One index partition takes 1,000 writes a second; the API's stage throttle (50
 * requests a second by default) keeps a tenant far below that. A tenant key prefix (pooled
 * tables) is part of every partition value, so tenants never share one.
 */

/** Where one order lives: the GSI, and whether its sort key is a name or an instant. */
export interface SortedIndex {
  readonly gsi: IndexDefinition;
  readonly kind: 'name' | 'instant';
  /** The partition value of the resource type's entries. */
  readonly partition: (keys: KeySpace, type: ResourceType) => string;
}

/** Bytes of a name kept in a sort key (DynamoDB allows 1,024; room for the `1` marker). */
const MAX_NAME_KEY_BYTES = 1000;
const PRESENT = '1';
const MISSING = '2';

/** The index serving `index` for `type`, or undefined when the type has no such order (Groups have no userName). */
export function sortedIndexFor(type: ResourceType, index: SortIndexName): SortedIndex | undefined {
  switch (index) {
    case 'created':
      return { gsi: LISTING_INDEX, kind: 'instant', partition: (keys, t) => keys.listingPartition(t) };
    case 'lastModified':
      return { gsi: MODIFIED_INDEX, kind: 'instant', partition: (keys, t) => keys.orderPartition(t, 'lastModified') };
    case 'userName':
      return type === 'User' ? { gsi: NAME_INDEX, kind: 'name', partition: (keys, t) => keys.orderPartition(t, 'userName') } : undefined;
    case 'displayName':
      return type === 'User'
        ? { gsi: USER_DISPLAY_NAME_INDEX, kind: 'name', partition: (keys, t) => keys.orderPartition(t, 'displayName') }
        : { gsi: NAME_INDEX, kind: 'name', partition: (keys, t) => keys.orderPartition(t, 'displayName') };
  }
}

/** The sort key of a name (see the header): `1<lowercased, cut>`, or `2` for none. */
export function nameSortKey(value: unknown): string {
  if (typeof value !== 'string' || value === '') return MISSING;
  return PRESENT + cutToBytes(value.toLowerCase(), MAX_NAME_KEY_BYTES);
}

/** The key prefix every name starting with `prefix` (already lowercased) has. */
export function namePrefixKey(prefix: string): string {
  return PRESENT + cutToBytes(prefix, MAX_NAME_KEY_BYTES);
}

/** The sort key of an instant (ms): the ISO 8601 text the store writes. */
export function instantSortKey(ms: number): string {
  return new Date(ms).toISOString();
}

function cutToBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * The sorted-index attributes of a resource item (GSI3-5; GSI2 is the listing). Written with every
 * Put and Update of the item, so the indexes follow every change.
 */
export function sortedIndexAttributes(keys: KeySpace, r: { resourceType: ResourceType; lastModified: string; data: Json }): Record<string, string> {
  const { resourceType: type, data } = r;
  const out: Record<string, string> = {
    [NAME_INDEX.partitionKey]: keys.orderPartition(type, type === 'User' ? 'userName' : 'displayName'),
    [NAME_INDEX.sortKey]: nameSortKey(type === 'User' ? data.userName : data.displayName),
    [MODIFIED_INDEX.partitionKey]: keys.orderPartition(type, 'lastModified'),
    [MODIFIED_INDEX.sortKey]: r.lastModified,
  };
  if (type === 'User') {
    out[USER_DISPLAY_NAME_INDEX.partitionKey] = keys.orderPartition(type, 'displayName');
    out[USER_DISPLAY_NAME_INDEX.sortKey] = nameSortKey(data.displayName);
  }
  return out;
}

/**
 * The SET clause keeping GSI4 (lastModified order) in step with an UpdateItem that sets
 * `lastModified = :now` without rewriting the data (member PATCHes of a group).
 */
export function modifiedIndexSet(keys: KeySpace, type: ResourceType): { clause: string; names: Record<string, string>; values: Record<string, string> } {
  return {
    clause: ', #mpk = :mpk, #msk = :now',
    names: { '#mpk': MODIFIED_INDEX.partitionKey, '#msk': MODIFIED_INDEX.sortKey },
    values: { ':mpk': keys.orderPartition(type, 'lastModified') },
  };
}
