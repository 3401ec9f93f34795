import { z } from 'zod';
import { POOL_TENANT_LIMITS } from '../lambdas/contracts/poolLimits';
import { METRICS_DETAIL_LEVELS } from '../lambdas/contracts/metricNames';
import { LOG_RETENTION_DAYS, TENANT_NAME_PATTERN } from './tenantConfig';

/** The pool's change feed (lib/ScimChangeFeed.ts in pool mode, docs/pool.md "Change events"). */
const PoolChangeFeedSchema = z.strictObject({
  /** EventBridge bus: the account's `default` bus, or `pool` (a bus named `scim-pool-<pool>-events`). */
  bus: z.enum(['default', 'pool']).default('default'),
  /** Event `data` for every tenant: the resource after the change (`full`), or ids only (`ids`). */
  payload: z.enum(['full', 'ids']).default('full'),
  /** Days GET /t/<tenant>/events keeps an event (the event log's TTL). */
  eventLogRetentionDays: z.int().min(1).max(365).default(7),
  /** Deliver webhooks to the tenants that set one (management API `PUT .../webhook`). */
  webhooks: z.boolean().default(true),
});

/**
 * A pooled stack's configuration file (`config/pools/<name>.json`), everything optional and strict
 * (a misspelt key fails the synth). Tenants' own settings (custom extensions, page sizes) are not
 * here: they live in the table and change at run time through the management API.
 */
export const PoolConfigSchema = z.strictObject({
  /** Free text for humans; ignored. */
  $comment: z.string().optional(),
  /**
   * Each tenant's request rate (the usage plan's throttle, applied per tenant API key). At least
   * Entra's 25 requests/s gallery requirement.
   */
  tenantThrottling: z
    .strictObject({ rateLimit: z.number().min(25).max(10_000), burstLimit: z.int().min(25).max(5_000) })
    .default({ rateLimit: POOL_TENANT_LIMITS.ratePerSecond, burstLimit: POOL_TENANT_LIMITS.burst }),
  /** The whole pool's request rate (the stage's throttle): below the account's 10,000/s shared by every API. */
  stageThrottling: z.strictObject({ rateLimit: z.number().min(1).max(10_000), burstLimit: z.int().min(1).max(5_000) }).default({ rateLimit: 2_000, burstLimit: 1_000 }),
  /**
   * How long API Gateway caches the authorizer's answer per token: part of the revocation delay.
   * At most 120 s, so a tenant delete's quiet period (POOL_DELETE_QUIET_SECONDS) outlasts it.
   */
  authorizerCacheTtlSeconds: z.int().min(0).max(120).default(60),
  /** Retention of the Lambda and access log groups. */
  logRetentionDays: z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
    .default(90),
  /** Email subscribed to the pool's alarm topic. */
  alarmEmail: z.email().optional(),
  /** Which custom metrics the functions emit (the pool emits them once for the pool, not per tenant). */
  metricsDetail: z.enum(METRICS_DETAIL_LEVELS).default('standard'),
  /** X-Ray active tracing. */
  tracing: z.boolean().default(false),
  /** Memory of the /Bulk function (MB); see the tenant config's bulkMemoryMb. */
  bulkMemoryMb: z.int().min(128).max(10_240).optional(),
  /** The change feed of every tenant of the pool. */
  changeFeed: PoolChangeFeedSchema.default({ bus: 'default', payload: 'full', eventLogRetentionDays: 7, webhooks: true }),
});

/** A validated pool configuration, defaults filled in. */
export type PoolConfig = z.infer<typeof PoolConfigSchema>;

/** A pool configuration file as written (every key optional). */
export type PoolConfigInput = z.input<typeof PoolConfigSchema>;

/** Validates a pool configuration (throws a ZodError). */
export function parsePoolConfig(raw: unknown): PoolConfig {
  return PoolConfigSchema.parse(raw);
}

/** A pool name: the same form as a tenant name, so it fits every physical name it is part of. */
export function isPoolName(name: string): boolean {
  return TENANT_NAME_PATTERN.test(name);
}
