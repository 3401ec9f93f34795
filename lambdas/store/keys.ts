/**
 * Key builders for the single table (docs/design.md "Data: single table, access patterns first").
 * Every key the store writes is built here, so the layout is readable in one place:
 *
 * | item                | PK                                   | SK                    | GSI1 (reverse membership)          | GSI2 (listing)                   |
 * |---------------------|--------------------------------------|-----------------------|------------------------------------|----------------------------------|
 * | resource            | `USER#<id>` / `GROUP#<id>`           | `META`                |                                    | `TYPE#USER` / `<created>#<id>`   |
 * | unique marker       | `UNIQUE#USER#userName#<key>`         | `UNIQUE`              |                                    |                                  |
 * |                     | `UNIQUE#GROUP#displayName#<key>`     | `UNIQUE`              |                                    |                                  |
 * | lookup (not unique) | `LOOKUP#USER#externalId#<value>`     | `<id>`                |                                    |                                  |
 * |                     | `LOOKUP#USER#email#<lower>`          | `<id>`                |                                    |                                  |
 * |                     | `LOOKUP#GROUP#externalId#<value>`    | `<id>`                |                                    |                                  |
 * | membership          | `GROUP#<gid>`                        | `MEMBER#<mid>`        | `MEMBER#<mid>` / `GROUP#<gid>`     |                                  |
 * | counter shard       | `COUNTER#USER` / `COUNTER#GROUP`     | `<shard 0..N-1>`      |                                    |                                  |
 * | page cursor (TTL)   | `PAGE#<fingerprint hash>`            | `<startIndex>`        |                                    |                                  |
 * | audit record (TTL)  | `AUDIT#<yyyy-mm-dd>`                 | `<iso ts>#<TYPE>#<id>`|                                    |                                  |
 *
 * Why these choices:
 * - Membership SK is `MEMBER#<mid>` without the member type (an earlier layout used `MEMBER#<type>#<mid>`):
 *   SCIM removes members by `value` alone (`members[value eq "x"]`), so the key must be computable
 *   from the id; ids are UUIDs, unique across types. The type is an attribute.
 * - Memberships live in the group's partition, so `GetItem(GROUP#g, META)` never touches them
 *   (pattern 6: one read whatever the size) and listing them is one Query on the base table.
 * - Lookups are base-table items, not GSIs, so `externalId eq` / `emails.value eq` are strongly
 *   consistent (pattern 2: a user created a second ago must be found).
 * - Counters are sharded: every create/delete of a tenant touches a counter in its transaction, and
 *   transactions touching one item concurrently cancel each other (TransactionConflict); spreading
 *   the counter over shards makes parallel IdP workers conflict rarely. Reading it is one Query.
 */
import { nameKey } from '../scim/names';

/** The two SCIM resource types the store holds. */
export type ResourceType = 'User' | 'Group';

/** A table key. */
export interface Key {
  PK: string;
  SK: string;
}

/** The SK of every resource item. */
export const META = 'META';
/** The SK of every unique marker. */
export const UNIQUE = 'UNIQUE';
/** Prefix of membership SKs in a group's partition. */
export const MEMBER_PREFIX = 'MEMBER#';
/** Number of counter shards per resource type. */
export const COUNTER_SHARDS = 8;

const TYPE_TAG: Record<ResourceType, string> = { User: 'USER', Group: 'GROUP' };

/** DynamoDB's key size limits: 2048 bytes for a partition key, 1024 for a sort key. */
const MAX_PK_BYTES = 2048;
const MAX_SK_BYTES = 1024;

/**
 * False for a key DynamoDB would reject (ValidationException): no item can have it, so a read of
 * one (an id or filter value from a request) means "not found", never an error.
 */
export function keyFits(key: { PK: string; SK?: string }): boolean {
  return Buffer.byteLength(key.PK) <= MAX_PK_BYTES && (key.SK === undefined || Buffer.byteLength(key.SK) <= MAX_SK_BYTES);
}

/** The type tag used in keys (`USER`, `GROUP`). */
export function typeTag(type: ResourceType): string {
  return TYPE_TAG[type];
}

/** Key of a resource item. */
export function resourceKey(type: ResourceType, id: string): Key {
  return { PK: `${TYPE_TAG[type]}#${id}`, SK: META };
}

/** GSI2 partition of a resource type's listing. */
export function listingPartition(type: ResourceType): string {
  return `TYPE#${TYPE_TAG[type]}`;
}

/** GSI2 sort key: creation order, id as tie-breaker (stable paging). */
export function listingSortKey(created: string, id: string): string {
  return `${created}#${id}`;
}

/**
 * Key of a uniqueness marker. Values are in their comparison form (nameKey: trimmed, NFKC, case
 * folded): `userName` and Group `displayName` are `caseExact: false` and unique case-insensitively
 * (RFC 7643 §4.1.1, §4.2), and variants a person reads as one name (width, NFD, ligatures, `ß`/`ss`)
 * must collide too.
 */
export function uniqueKey(type: ResourceType, attribute: string, value: string): Key {
  return { PK: `UNIQUE#${TYPE_TAG[type]}#${attribute}#${nameKey(value)}`, SK: UNIQUE };
}

/** Partition of the lookup items for one attribute value (several resources may share it). */
export function lookupPartition(type: ResourceType, attribute: 'externalId' | 'email', value: string): string {
  // externalId is caseExact (RFC 7643 §3.1); email addresses are matched case-insensitively.
  const v = attribute === 'email' ? value.toLowerCase() : value;
  return `LOOKUP#${TYPE_TAG[type]}#${attribute}#${v}`;
}

/** Key of a membership item. */
export function membershipKey(groupId: string, memberId: string): Key {
  return { PK: `GROUP#${groupId}`, SK: `${MEMBER_PREFIX}${memberId}` };
}

/** GSI1 partition of the reverse membership index: the groups holding `memberId`. */
export function reverseMembershipPartition(memberId: string): string {
  return `MEMBER#${memberId}`;
}

/** Key of a counter shard. */
export function counterKey(type: ResourceType, shard: number): Key {
  return { PK: `COUNTER#${TYPE_TAG[type]}`, SK: String(shard) };
}

/** Partition of the counter shards. */
export function counterPartition(type: ResourceType): string {
  return `COUNTER#${TYPE_TAG[type]}`;
}

/** Key of a page-cursor item (startIndex paging). */
export function pageCursorKey(fingerprintHash: string, startIndex: number): Key {
  return { PK: `PAGE#${fingerprintHash}`, SK: String(startIndex).padStart(10, '0') };
}

/** Key of an audit record. */
export function auditKey(at: Date, type: ResourceType, id: string, action: string): Key {
  const iso = at.toISOString();
  return { PK: `AUDIT#${iso.slice(0, 10)}`, SK: `${iso}#${TYPE_TAG[type]}#${id}#${action}` };
}

/** Partition of one day's audit records. */
export function auditPartition(day: string): string {
  return `AUDIT#${day}`;
}
