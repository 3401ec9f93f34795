import type { DynamoClients } from '../store/clients';
import { ScimStore, type MemberRef, type StoredResource, type UserGroup } from '../store';
import { buildRegistry, parseTenantScimConfig } from '../scim/config';
import { withoutNeverReturned } from '../scim/projection';
import type { SchemaRegistry } from '../scim/schema';
import { POOL_KEYS } from '../store/keys';
import { PoolDirectory } from '../store/PoolDirectory';

/**
 * A user or group as the app reads it: the stored resource without what SCIM never returns (the
 * password hash, custom attributes declared `returned: "never"`).
 */
export interface ReadResource {
  readonly id: string;
  readonly resourceType: 'User' | 'Group';
  /** `meta.version` is `W/"<version>"`. */
  readonly version: number;
  readonly created: string;
  readonly lastModified: string;
  /**
   * SCIM attributes without `id`, `meta`, `members` and `groups`; never `password` nor any
   * attribute the tenant's schemas declare `returned: "never"`; only extensions those schemas declare.
   */
  readonly attributes: Record<string, unknown>;
  /** Groups only. */
  readonly memberCount?: number;
}

/** A page of a listing; pass `cursor` back to continue, absent on the last page. */
export interface ReadPage<T> {
  readonly items: T[];
  readonly cursor?: string;
}

/** Options of createScimReader. */
export interface ScimReaderOptions {
  /** A document client with read access to the table (grantAppRead). */
  readonly doc: DynamoClients['doc'];
  /** The `TableName` stack output. */
  readonly tableName: string;
  /** The tenant's key prefix in a pooled table; empty (the default) in a per-tenant table. Prefer `tenant`. */
  readonly keyPrefix?: string;
  /**
   * A pooled tenant: reads its key space, with the schemas of its configuration in the pool's
   * tenant record (re-read every minute, as the pool's functions do).
   */
  readonly tenant?: string;
  /**
   * The tenant's SCIM configuration (its config file's `customExtensions`, as the stack's
   * SCIM_CONFIG holds it): which extensions exist and which attributes are `returned: "never"`.
   * Without it (and without `tenant`) only the built-in schemas are known, and custom extensions
   * are left out of every resource rather than risk showing a secret attribute.
   */
  readonly scimConfig?: unknown;
}

/** The typed read model for the vendor's app (docs/table-layout.md); reads only, never writes. */
export interface ScimReader {
  /** A user by id: one strongly consistent GetItem. */
  getUser(id: string): Promise<ReadResource | undefined>;
  /** A user by userName, case-insensitively as SCIM matches it: marker + item, strongly consistent. */
  getUserByUserName(userName: string): Promise<ReadResource | undefined>;
  /** The users with this externalId (not unique by RFC 7643 §3.1), strongly consistent. */
  getUsersByExternalId(externalId: string): Promise<ReadResource[]>;
  /** A group by id, without its members (one GetItem whatever its size). */
  getGroup(id: string): Promise<ReadResource | undefined>;
  /** Users in creation order, `limit` at a time (default 100). */
  listUsers(opts?: { cursor?: string; limit?: number }): Promise<ReadPage<ReadResource>>;
  /** Groups in creation order, `limit` at a time (default 100). */
  listGroups(opts?: { cursor?: string; limit?: number }): Promise<ReadPage<ReadResource>>;
  /** A group's direct members, `limit` at a time (default 1,000), strongly consistent. */
  membersOfGroup(groupId: string, opts?: { cursor?: string; limit?: number }): Promise<ReadPage<MemberRef>>;
  /** The groups of a user: direct, and with `transitive` (default true) the groups holding those. */
  groupsOfUser(userId: string, opts?: { transitive?: boolean }): Promise<UserGroup[]>;
}

function toRead(r: StoredResource, registry: SchemaRegistry): ReadResource {
  const attributes = withoutNeverReturned(r.data, registry, r.resourceType);
  return {
    id: r.id,
    resourceType: r.resourceType,
    version: r.version,
    created: r.created,
    lastModified: r.lastModified,
    attributes,
    ...(r.memberCount !== undefined ? { memberCount: r.memberCount } : {}),
  };
}

/**
 * The read model over the tenant's table, through the store's own key and item code (so it keeps
 * working when the layout's internals move, and takes the pooled table's tenant key prefix).
 * Reads that decide something are strongly consistent (ids, userName, externalId, members); the
 * listings and the reverse membership index are eventually consistent, as DynamoDB indexes are.
 */
export function createScimReader(options: ScimReaderOptions): ScimReader {
  const keyPrefix = options.tenant !== undefined ? POOL_KEYS.tenantKeyPrefix(options.tenant) : options.keyPrefix;
  const store = new ScimStore({ doc: options.doc, tableName: options.tableName, keyPrefix });
  const registryOf = schemasOf(options);
  const read = async (resources: StoredResource[]) => {
    const registry = await registryOf();
    return resources.map((r) => toRead(r, registry));
  };
  const page = async (type: 'User' | 'Group', opts: { cursor?: string; limit?: number } = {}): Promise<ReadPage<ReadResource>> => {
    const q = { plan: { kind: 'list' as const }, count: Math.min(Math.max(opts.limit ?? 100, 1), 1000), cursor: opts.cursor ?? '' };
    const res = type === 'User' ? await store.queryUsers(q) : await store.queryGroups(q);
    return { items: await read(res.resources), ...(res.nextCursor ? { cursor: res.nextCursor } : {}) };
  };
  return {
    getUser: async (id) => {
      const r = await store.getUser(id);
      return r && (await read([r]))[0];
    },
    getUserByUserName: async (userName) => (await read((await store.queryUsers({ plan: { kind: 'userName', value: userName }, count: 1 })).resources))[0],
    getUsersByExternalId: async (externalId) => read((await store.queryUsers({ plan: { kind: 'externalId', value: externalId }, count: 1000 })).resources),
    getGroup: async (id) => {
      const r = await store.getGroup(id);
      return r && (await read([r]))[0];
    },
    listUsers: (opts) => page('User', opts),
    listGroups: (opts) => page('Group', opts),
    membersOfGroup: async (groupId, opts = {}) => {
      const res = await store.listMembers(groupId, { limit: opts.limit, cursor: opts.cursor });
      return { items: res.members, ...(res.cursor ? { cursor: res.cursor } : {}) };
    },
    groupsOfUser: (userId, opts = {}) => store.groupsOfUser(userId, { indirect: opts.transitive ?? true }),
  };
}

/** How long a pooled tenant's schemas are cached: like the pool's functions' configuration TTL. */
const POOL_SCHEMAS_TTL_MS = 60_000;

/** The reader's schemas: the given configuration, the pooled tenant's record, or the built-in ones. */
function schemasOf(options: ScimReaderOptions): () => Promise<SchemaRegistry> {
  if (options.scimConfig !== undefined || options.tenant === undefined) {
    const registry = buildRegistry(parseTenantScimConfig(options.scimConfig ?? {}));
    return async () => registry;
  }
  const directory = new PoolDirectory({ doc: options.doc, tableName: options.tableName });
  const tenant = options.tenant;
  let cached: { at: number; registry: SchemaRegistry } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < POOL_SCHEMAS_TTL_MS) return cached.registry;
    const record = await directory.getTenant(tenant);
    cached = { at: Date.now(), registry: buildRegistry(parseTenantScimConfig(record?.config ?? {})) };
    return cached.registry;
  };
}
