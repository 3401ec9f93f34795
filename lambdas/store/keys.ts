/**
 * Key builders for the single table (docs/design.md "Data: single table, access patterns first").
 * Every key the store writes or reads is built here, so the layout is readable in one place:
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
 * | pending cleanup     | `CLEANUP`                            | `<TYPE>#<id>`         |                                    |                                  |
 * | rollback journal (TTL) | `ROLLBACK`                        | `<opened iso>#<jid>`  |                                    |                                  |
 * | journal entry (TTL) | `ROLLBACK#<jid>`                     | `<seq>#<chunk>`       |                                    |                                  |
 * | event log (TTL)     | `EVENTLOG#<yyyy-mm-dd>`              | `<iso ms>#<seq>`      |                                    |                                  |
 * | audit trail (TTL)   | `AUDITLOG#<yyyy-mm-dd>`              | `<commit iso>#<event>`|                                    |                                  |
 *
 * Resource items also carry the keys of the sorted indexes (keys only, see sortedIndexes.ts):
 * GSI3 `ORDER#USER#userName` / `ORDER#GROUP#displayName` -> `1<lowercased name>`, GSI4
 * `ORDER#<TYPE>#lastModified` -> `<lastModified>`, GSI5 `ORDER#USER#displayName` ->
 * `1<lowercased displayName>` or `2` when there is none (so it sorts last ascending).
 *
 * Every partition key (base table, GSI1-GSI5) starts with the store's key prefix: empty in a
 * per-tenant (silo) table, one per tenant in a pooled table, so a tenant's queries, counters,
 * markers and cursors never reach another tenant's items. Sort keys need no prefix: a partition
 * already belongs to one tenant.
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

/** Partition prefix of change-event log entries (after the key space's prefix). */
export const EVENT_LOG_PREFIX = 'EVENTLOG#';

/** Partition prefix of the stream-derived audit trail (after the key space's prefix). */
export const AUDIT_LOG_PREFIX = 'AUDITLOG#';

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
const GROUP_REF_PREFIX = 'GROUP#';

/** DynamoDB's key size limits: 2048 bytes for a partition key, 1024 for a sort key. */
const MAX_PK_BYTES = 2048;
const MAX_SK_BYTES = 1024;

/**
 * A tenant's key prefix: empty, or one segment ending in `#` (e.g. `acme#`). Ending in the key
 * separator keeps two prefixes from overlapping (`a#` never starts `ab#...`).
 */
const KEY_PREFIX = /^(?:[A-Za-z0-9._-]{1,64}#)?$/;

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

/** The resource type of a type tag (`USER` -> `User`). */
export function typeOfTag(tag: string): ResourceType | undefined {
  return tag === 'USER' ? 'User' : tag === 'GROUP' ? 'Group' : undefined;
}

/** The keys of one tenant's key space (see the header: every partition key starts with `prefix`). */
export class KeySpace {
  /** Throws for a prefix that could overlap another tenant's (see KEY_PREFIX). */
  constructor(readonly prefix: string = '') {
    if (!KEY_PREFIX.test(prefix)) throw new TypeError(`key prefix must be empty or one segment ending in '#' (got ${JSON.stringify(prefix)})`);
  }

  /** Key of a resource item. */
  resource(type: ResourceType, id: string): Key {
    return { PK: `${this.prefix}${TYPE_TAG[type]}#${id}`, SK: META };
  }

  /** GSI2 partition of a resource type's listing. */
  listingPartition(type: ResourceType): string {
    return `${this.prefix}TYPE#${TYPE_TAG[type]}`;
  }

  /** Partition of a resource type's entries in one sorted index (GSI3-5; see sortedIndexes.ts). */
  orderPartition(type: ResourceType, index: string): string {
    return `${this.prefix}ORDER#${TYPE_TAG[type]}#${index}`;
  }

  /** GSI2 sort key: creation order, id as tie-breaker (stable paging). */
  listingSortKey(created: string, id: string): string {
    return `${created}#${id}`;
  }

  /**
   * Key of a uniqueness marker. Values are in their comparison form (nameKey: trimmed, NFKC, case
   * folded): `userName` and Group `displayName` are `caseExact: false` and unique case-insensitively
   * (RFC 7643 §4.1.1, §4.2), and variants a person reads as one name (width, NFD, ligatures, `ß`/`ss`)
   * must collide too.
   */
  unique(type: ResourceType, attribute: string, value: string): Key {
    return { PK: `${this.prefix}UNIQUE#${TYPE_TAG[type]}#${attribute}#${nameKey(value)}`, SK: UNIQUE };
  }

  /** Partition of the lookup items for one attribute value (several resources may share it). */
  lookupPartition(type: ResourceType, attribute: 'externalId' | 'email', value: string): string {
    // externalId is caseExact (RFC 7643 §3.1); email addresses are matched case-insensitively.
    const v = attribute === 'email' ? value.toLowerCase() : value;
    return `${this.prefix}LOOKUP#${TYPE_TAG[type]}#${attribute}#${v}`;
  }

  /** Key of the lookup item of resource `id` for one attribute value. */
  lookup(type: ResourceType, attribute: 'externalId' | 'email', value: string, id: string): Key {
    return { PK: this.lookupPartition(type, attribute, value), SK: id };
  }

  /**
   * Key of the tenant's group-graph version: every transaction adding a nested group conditions on
   * the version its cycle check read and bumps it, so two nesting changes that could close a cycle
   * together cannot both commit (see nestingGuard.ts).
   */
  graphVersion(): Key {
    return { PK: `${this.prefix}GRAPH`, SK: 'VERSION' };
  }

  /** Key of the tenant's cursor key (cursorKey.ts): the HMAC key that makes cursors tamper-evident. */
  cursorKey(): Key {
    return { PK: `${this.prefix}CURSORKEY`, SK: 'HMAC' };
  }

  /** Partition of a group's items (its resource item and its memberships). */
  groupPartition(groupId: string): string {
    return this.resource('Group', groupId).PK;
  }

  /** Key of a membership item. */
  membership(groupId: string, memberId: string): Key {
    return { PK: this.groupPartition(groupId), SK: `${MEMBER_PREFIX}${memberId}` };
  }

  /** GSI1 partition of the reverse membership index: the groups holding `memberId`. */
  reverseMembershipPartition(memberId: string): string {
    return `${this.prefix}MEMBER#${memberId}`;
  }

  /** GSI1 sort key of a membership: the group that holds the member. */
  reverseMembershipSortKey(groupId: string): string {
    return `${GROUP_REF_PREFIX}${groupId}`;
  }

  /** The group id of a reverse-index entry (its GSI1 sort key). */
  groupOfReverseEntry(item: Record<string, unknown>): string {
    return String(item.GSI1SK).slice(GROUP_REF_PREFIX.length);
  }

  /** Key of a counter shard. */
  counter(type: ResourceType, shard: number): Key {
    return { PK: this.counterPartition(type), SK: String(shard) };
  }

  /** Partition of the counter shards. */
  counterPartition(type: ResourceType): string {
    return `${this.prefix}COUNTER#${TYPE_TAG[type]}`;
  }

  /** Key of a page-cursor item (startIndex paging). */
  pageCursor(fingerprintHash: string, startIndex: number): Key {
    return { PK: `${this.prefix}PAGE#${fingerprintHash}`, SK: String(startIndex).padStart(10, '0') };
  }

  /** Key of an audit record. */
  audit(at: Date, type: ResourceType, id: string, action: string): Key {
    const iso = at.toISOString();
    return { PK: this.auditPartition(iso.slice(0, 10)), SK: `${iso}#${TYPE_TAG[type]}#${id}#${action}` };
  }

  /** Partition of one day's audit records. */
  auditPartition(day: string): string {
    return `${this.prefix}AUDIT#${day}`;
  }

  /** Partition of the open rollback journals of all-or-nothing BulkRequests (SK `<opened iso>#<id>`: oldest first). */
  rollbackPartition(): string {
    return `${this.prefix}ROLLBACK`;
  }

  /** Key of the head item of a rollback journal opened at `opened` (ISO). */
  rollbackJournal(opened: string, journalId: string): Key {
    return { PK: this.rollbackPartition(), SK: `${opened}#${journalId}` };
  }

  /** Partition of one rollback journal's entries (one per operation, a group's prior members split in chunks). */
  rollbackEntries(journalId: string): string {
    return `${this.prefix}ROLLBACK#${journalId}`;
  }

  /** Partition of one day's change-event log entries (eventLog.ts, GET /events). */
  eventLogPartition(day: string): string {
    return `${this.prefix}${EVENT_LOG_PREFIX}${day}`;
  }

  /** Partition of one day's audit-trail entries written by the stream handler (auditLog.ts). */
  auditLogPartition(day: string): string {
    return `${this.prefix}${AUDIT_LOG_PREFIX}${day}`;
  }

  /** Partition of the pending-cleanup items (deletes whose cleanup or recheck is not done). */
  cleanupPartition(): string {
    return `${this.prefix}CLEANUP`;
  }

  /** Key of the pending-cleanup item of a deleted resource. */
  cleanup(type: ResourceType, id: string): Key {
    return { PK: this.cleanupPartition(), SK: `${TYPE_TAG[type]}#${id}` };
  }

  /** The resource a pending-cleanup item is about, from its SK. */
  cleanupTarget(item: Record<string, unknown>): { type: ResourceType; id: string } {
    const sk = String(item.SK);
    const at = sk.indexOf('#');
    return { type: typeOfTag(sk.slice(0, at)) ?? 'User', id: sk.slice(at + 1) };
  }
}

/** A resource item's key read back: its key space's prefix, its type and id. */
export interface ResourceKeyParts {
  readonly prefix: string;
  readonly type: ResourceType;
  readonly id: string;
}

const RESOURCE_PK = /^((?:[A-Za-z0-9._-]{1,64}#)?)(USER|GROUP)#([^#]+)$/;

/**
 * The parts of a resource item's key (`<prefix><TYPE>#<id>`, SK `META`), or undefined for every
 * other item: markers, lookups, memberships, counters, cursors, the cursor key, the graph
 * version, cleanup, audit and event-log items, and the pooled stack's tenant and token records
 * (`_pool#...`, SK `META` too). The change feed reads stream records through this, so a new kind of
 * item can never be mistaken for a user or a group.
 */
export function parseResourceKey(key: { PK?: unknown; SK?: unknown }): ResourceKeyParts | undefined {
  if (key.SK !== META || typeof key.PK !== 'string') return undefined;
  const m = RESOURCE_PK.exec(key.PK);
  const type = m ? typeOfTag(m[2]) : undefined;
  if (!m || !type || m[1] === POOL_CONTROL_PREFIX) return undefined;
  return { prefix: m[1], type, id: m[3] };
}

/** The prefix of the pooled stack's control key space (POOL_KEYS): never a tenant's. */
const POOL_CONTROL_PREFIX = '_pool#';

/** The key space of a one-tenant (silo) table: no prefix. */
export const SILO_KEYS = new KeySpace('');

/** Key of a resource item in a silo table (tests and fixtures; the store uses its KeySpace). */
export const resourceKey = (type: ResourceType, id: string): Key => SILO_KEYS.resource(type, id);
/** Key of a membership item in a silo table (tests and fixtures; the store uses its KeySpace). */
export const membershipKey = (groupId: string, memberId: string): Key => SILO_KEYS.membership(groupId, memberId);

/**
 * The pooled stack's control plane: tenant records and token records, in a key space no tenant's
 * can reach. Tenant prefixes are `<tenant>#` with tenant names of `[a-z0-9-]` (auth/token.ts), so
 * `_pool#` can never be one of them.
 *
 * | item          | PK                         | SK              |
 * |---------------|----------------------------|-----------------|
 * | tenant        | `_pool#TENANT#<tenant>`    | `META`          |
 * | tenant token  | `_pool#TENANT#<tenant>`    | `TOKEN#<tok_id>`|
 * | token by hash | `_pool#TOKEN#<sha256 hex>` | `META`          |
 * | OAuth clients | `_pool#TENANT#<tenant>`    | `OAUTH_CLIENTS` |
 *
 * Tenant records also carry GSI2 keys (`_pool#TENANTS` / `<tenant>`): a sparse listing of every
 * tenant, which the maintenance job walks (one Query page per ~1 MB of tenant records, no Scan).
 */
export const POOL_KEYS = {
  /** Key of a tenant's record. */
  tenant: (tenant: string): Key => ({ PK: `${POOL_CONTROL_PREFIX}TENANT#${tenant}`, SK: META }),
  /** Key of a tenant's listing entry for one token (list and revoke by id). */
  tenantToken: (tenant: string, tokenId: string): Key => ({ PK: `_pool#TENANT#${tenant}`, SK: `TOKEN#${tokenId}` }),
  /** Key of a tenant's OAuth clients (secret hashes only, one versioned document like a silo's secret). */
  tenantClients: (tenant: string): Key => ({ PK: `_pool#TENANT#${tenant}`, SK: 'OAUTH_CLIENTS' }),
  /** Partition of a tenant's record and token entries. */
  tenantPartition: (tenant: string): string => `_pool#TENANT#${tenant}`,
  /** Key of a token record, found by the token's SHA-256 (the authorizer's one read). */
  tokenByHash: (sha256Hex: string): Key => ({ PK: `_pool#TOKEN#${sha256Hex}`, SK: META }),
  /** Key of the pool maintenance job's resume point (runPoolMaintenance). */
  maintenance: { PK: '_pool#MAINTENANCE', SK: META } as Key,
  /** GSI2 partition listing every tenant record (sparse: only tenant records carry it). */
  tenantListing: '_pool#TENANTS',
  /** A tenant's own key space in the pooled table. */
  tenantKeyPrefix: (tenant: string): string => `${tenant}#`,
};
