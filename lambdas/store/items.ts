import { META, SILO_KEYS, type Key, type KeySpace, type ResourceType } from './keys';
import { ResourceTooLargeError } from './errors';
import { sortedIndexAttributes } from './sortedIndexes';

/** A JSON object. */
export type Json = Record<string, unknown>;

/**
 * A resource as the store holds it. `data` is the canonical SCIM attributes WITHOUT `id`, `meta`,
 * Group `members` or User `groups` (those are computed); it includes `schemas`, `externalId` and
 * extension URN keys, stored as given.
 */
export interface StoredResource {
  id: string;
  resourceType: ResourceType;
  /** Incremented on every write; the weak ETag is `W/"<version>"`. */
  version: number;
  /** ISO 8601. */
  created: string;
  /** ISO 8601. */
  lastModified: string;
  data: Json;
  /** Groups only: number of members, kept in the same transactions that change memberships. */
  memberCount?: number;
}

/** A group member as given to and returned by the store. `type` may be omitted on input: the store finds it. */
export interface MemberRef {
  value: string;
  type: ResourceType;
  display?: string;
}

/** A stored resource item (SK `META`). */
export interface ResourceItem extends Key {
  resourceType: ResourceType;
  id: string;
  version: number;
  created: string;
  lastModified: string;
  data: Json;
  GSI2PK?: string;
  GSI2SK?: string;
  /** The sorted indexes' keys (GSI3-5, sortedIndexes.ts). */
  GSI3PK?: string;
  GSI3SK?: string;
  GSI4PK?: string;
  GSI4SK?: string;
  GSI5PK?: string;
  GSI5SK?: string;
  memberCount?: number;
  /** Groups only: how many groups hold this group (0 lets groupsOfUser skip the nested-group walk). */
  parentCount?: number;
  /** Set while a delete is cleaning up; the resource is invisible from then on. */
  deleting?: string;
}

/** The uniqueness markers and lookup items a resource's data implies. */
export interface ResourceIndexes {
  /** Unique markers: attribute name and original value. */
  unique: { attribute: string; value: string; key: Key }[];
  /** Lookup items: partition key plus attributes. */
  lookups: { key: Key; attributes: Json }[];
}

/** An item stays under DynamoDB's 400 KB limit with room for keys and bookkeeping. */
const MAX_DATA_BYTES = 380_000;
/** Emails indexed per user: each is an item in the create/replace transaction (100 actions max). */
const MAX_INDEXED_EMAILS = 40;

/** Throws ResourceTooLargeError for data that would not fit one item. */
export function checkDataSize(data: Json): void {
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > MAX_DATA_BYTES) throw new ResourceTooLargeError(`the resource is ${size} bytes; at most ${MAX_DATA_BYTES} are stored`);
}

/** Builds the resource item, in the key space `keys` (a silo table's by default). */
export function toResourceItem(r: StoredResource, extra: Partial<ResourceItem> = {}, keys: KeySpace = SILO_KEYS): ResourceItem {
  checkDataSize(r.data);
  const item: ResourceItem = {
    ...keys.resource(r.resourceType, r.id),
    resourceType: r.resourceType,
    id: r.id,
    version: r.version,
    created: r.created,
    lastModified: r.lastModified,
    data: r.data,
    GSI2PK: keys.listingPartition(r.resourceType),
    GSI2SK: keys.listingSortKey(r.created, r.id),
    ...sortedIndexAttributes(keys, r),
    ...extra,
  };
  if (r.resourceType === 'Group') item.memberCount = r.memberCount ?? 0;
  return item;
}

/** Reads a resource item back; `undefined` for a missing or deleting item. */
export function fromResourceItem(item: Record<string, unknown> | undefined): StoredResource | undefined {
  if (!item || item.deleting !== undefined || item.SK !== META) return undefined;
  const r: StoredResource = {
    id: item.id as string,
    resourceType: item.resourceType as ResourceType,
    version: Number(item.version),
    created: item.created as string,
    lastModified: item.lastModified as string,
    data: (item.data ?? {}) as Json,
  };
  if (r.resourceType === 'Group') r.memberCount = Number(item.memberCount ?? 0);
  return r;
}

/** The markers and lookups of a resource in the key space `keys`; `undefined` data gives none. */
export function resourceIndexes(keys: KeySpace, type: ResourceType, id: string, data: Json | undefined): ResourceIndexes {
  const out: ResourceIndexes = { unique: [], lookups: [] };
  if (!data) return out;
  const uniqueAttribute = type === 'User' ? 'userName' : 'displayName';
  const uniqueValue = data[uniqueAttribute];
  if (typeof uniqueValue === 'string' && uniqueValue !== '') {
    out.unique.push({ attribute: uniqueAttribute, value: uniqueValue, key: keys.unique(type, uniqueAttribute, uniqueValue) });
  }
  if (typeof data.externalId === 'string' && data.externalId !== '') {
    out.lookups.push({ key: keys.lookup(type, 'externalId', data.externalId, id), attributes: { id } });
  }
  if (type === 'User' && Array.isArray(data.emails)) {
    const byValue = new Map<string, Set<string>>();
    for (const e of data.emails as unknown[]) {
      if (!e || typeof e !== 'object') continue;
      const value = (e as Json).value;
      if (typeof value !== 'string' || value === '') continue;
      const t = (e as Json).type;
      const lower = value.toLowerCase();
      const types = byValue.get(lower) ?? new Set<string>();
      if (typeof t === 'string') types.add(t.toLowerCase());
      byValue.set(lower, types);
    }
    if (byValue.size > MAX_INDEXED_EMAILS) throw new ResourceTooLargeError(`at most ${MAX_INDEXED_EMAILS} distinct emails are supported`);
    for (const [value, types] of byValue) {
      out.lookups.push({ key: keys.lookup(type, 'email', value, id), attributes: { id, emailTypes: [...types].sort() } });
    }
  }
  return out;
}

/** Name of the unique attribute of a type. */
export function uniqueAttributeOf(type: ResourceType): 'userName' | 'displayName' {
  return type === 'User' ? 'userName' : 'displayName';
}
