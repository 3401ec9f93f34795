import type { ScimStoreOptions } from '../store';
import type { EventPayload } from '../events';
import type { TenantFeed } from '../feed/createStreamProcessor';
import { buildRegistry, parseTenantScimConfig } from '../scim/config';
import { AuditLog } from '../store/auditLog';
import { EventLog } from '../store/eventLog';
import { KeySpace, POOL_KEYS } from '../store/keys';
import type { PoolDirectory } from '../store/PoolDirectory';

/** Options of {@link createPoolFeed}. */
export interface PoolFeedOptions {
  readonly doc: ScimStoreOptions['doc'];
  readonly tableName: string;
  readonly directory: PoolDirectory;
  /** What `data` carries, for every tenant of the pool. @default 'full' */
  readonly payload?: EventPayload;
  /** Days an event stays in a tenant's log. @default 7 */
  readonly eventLogRetentionDays?: number;
  /** How long a tenant's schemas are cached, ms (like the pooled functions' configuration). @default 60_000 */
  readonly configTtlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The change feed of a pooled table: the tenant of each record's key space, and each tenant's own event log. */
export interface PoolFeed {
  /** For createStreamProcessor's `tenantOf`: the tenant of key prefix `acme#`, with its schemas. */
  tenantOf(keyPrefix: string): Promise<TenantFeed>;
  /** The event log in `tenant`'s key space (the stream handler appends, GET /t/<tenant>/events reads). */
  logFor(tenant: string): EventLog;
  /** The audit trail in `tenant`'s key space (the stream handler appends, npm run audit reads). */
  auditFor(tenant: string): AuditLog;
}

/**
 * The pooled table's change feed. Every key space is `<tenant>#` (POOL_KEYS.tenantKeyPrefix), so
 * the tenant of a record is its key prefix: an event always carries the tenant whose item changed,
 * derived with that tenant's schemas from the pool directory (cached), so a tenant's custom
 * `returned: never` attribute stays out of its events. A prefix without a tenant record (a tenant
 * removed from the directory while its records were in flight) is published with ids only: its
 * schemas are unknown, so no attribute leaves the table. Each tenant's events go to a log in its own
 * key space: a reader's Query names its partition, it cannot reach another tenant's.
 */
export function createPoolFeed(options: PoolFeedOptions): PoolFeed {
  const ttl = options.configTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const feeds = new Map<string, { at: number; feed: TenantFeed }>();
  const logs = new Map<string, EventLog>();
  return {
    async tenantOf(keyPrefix) {
      const tenant = keyPrefix.endsWith('#') ? keyPrefix.slice(0, -1) : keyPrefix;
      if (POOL_KEYS.tenantKeyPrefix(tenant) !== keyPrefix) throw new Error(`key prefix ${JSON.stringify(keyPrefix)} is no pooled tenant's`);
      const hit = feeds.get(tenant);
      if (hit && now() - hit.at < ttl) return hit.feed;
      const record = await options.directory.getTenant(tenant);
      const feed: TenantFeed = record
        ? { tenant, registry: buildRegistry(parseTenantScimConfig(record.config ?? {})), payload: options.payload ?? 'full' }
        : { tenant, registry: buildRegistry(parseTenantScimConfig({})), payload: 'ids' };
      if (feeds.size >= 1_000) feeds.delete(feeds.keys().next().value as string);
      feeds.set(tenant, { at: now(), feed });
      return feed;
    },
    auditFor(tenant) {
      return new AuditLog({ doc: options.doc, tableName: options.tableName, keys: new KeySpace(POOL_KEYS.tenantKeyPrefix(tenant)) });
    },
    logFor(tenant) {
      let log = logs.get(tenant);
      if (!log) {
        log = new EventLog({ doc: options.doc, tableName: options.tableName, retentionDays: options.eventLogRetentionDays, keys: new KeySpace(POOL_KEYS.tenantKeyPrefix(tenant)) });
        logs.set(tenant, log);
      }
      return log;
    },
  };
}
