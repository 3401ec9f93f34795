import { z } from 'zod';

/** The shared web ACL of the ops stack (tenants opt in with `waf.shared`). */
const OpsWafSchema = z.strictObject({
  /** Create the shared web ACL and publish its ARN in SSM (OPS_NAMES.webAclArnParameter). */
  enabled: z.boolean().default(false),
  /** Requests per source IP per 5 minutes, across every tenant behind the ACL (WAF's minimum is 10). */
  rateLimitPer5Min: z.int().min(10).max(2_000_000_000).default(10_000),
  /** When non-empty, only these source ranges may call any tenant (e.g. the IdPs' egress ranges). */
  allowedCidrs: z.array(z.union([z.cidrv4(), z.cidrv6()])).max(10_000).default([]),
  /** What the shared web ACL logs to `aws-waf-logs-scim-fleet`: `blocked` requests or `all`. */
  logging: z.enum(['blocked', 'all']).default('blocked'),
});

/** Thresholds of the fleet alarms: the worst tenant in a 5-minute period is compared with each. */
const FleetAlarmsSchema = z.strictObject({
  /** SCIM 5xx answers of one tenant in 5 minutes (in 2 of 3 periods). */
  serverErrors: z.int().min(1).default(5),
  /** Token denials of one tenant in 5 minutes: a leaked token being tried, or an IdP with a wrong one. */
  authorizerDenials: z.int().min(1).default(20),
});

/**
 * The ops stack's configuration (`config/ops.json`, every key optional): what all tenants of one
 * account and Region share.
 */
export const OpsConfigSchema = z.strictObject({
  /** Free text for humans; ignored. */
  $comment: z.string().optional(),
  /** Email subscribed to the shared alarm topic (confirm the mail AWS sends). */
  alarmEmail: z.email().optional(),
  waf: OpsWafSchema.default({ enabled: false, rateLimitPer5Min: 10_000, allowedCidrs: [], logging: 'blocked' }),
  fleetAlarms: FleetAlarmsSchema.default({ serverErrors: 5, authorizerDenials: 20 }),
  /**
   * The pools (`-c pool=<name>`) of this account and Region whose tenants the fleet dashboard ranks,
   * from each pool's Contributor Insights rules. `npx cdk synth` adds every `config/pools/*.json`.
   */
  pools: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/, 'a pool name: 1-40 lowercase letters, digits and hyphens')).max(50).default([]),
});

/** A validated ops configuration with defaults filled in. */
export type OpsConfig = z.infer<typeof OpsConfigSchema>;

/** Validates a parsed `config/ops.json`; throws a ZodError listing every problem. */
export function parseOpsConfig(input: unknown): OpsConfig {
  return OpsConfigSchema.parse(input);
}
