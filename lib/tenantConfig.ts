import { API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS } from '../lambdas/contracts/ttls';
import { z } from 'zod';
import { OAuthConfigSchema } from '../lambdas/auth/oauth/oauthConfig';
import { tenantScimConfigSchemas, type TenantScimConfig, type TenantScimConfigInput } from '../lambdas/scim/config/tenantScimConfig';
import { BULK_FUNCTION_MEMORY_MB, DEFAULT_RESERVED_CONCURRENCY, FUNCTION_NAMES, type FunctionName } from '../lambdas/contracts/awsLimits';
import { TABLE_DEFINITION } from '../lambdas/contracts/tableDefinition';
import { NO_PROVISIONING_MAX_HOURS } from './ScimDashboard';

const { customExtensionSpecSchema, tenantScimConfigSchema } = tenantScimConfigSchemas();
import { METRICS_DETAIL_LEVELS } from '../lambdas/contracts/metricNames';

/**
 * Tenant names: lowercase letters, digits and inner hyphens, 1 to 40 characters. They end up in the
 * stack name (`Scim-<t>`), the table (`scim-<t>`), the secret (`scim/<t>/tokens`) and the token
 * prefix (`scim_<t>_...`, which is why `_` is excluded); a leading or trailing hyphen would make
 * `scim--x` style names and is refused. A subset of lambdas/auth/token.ts's TENANT_PATTERN, so every
 * tenant we deploy is one the authorizer accepts.
 */
export const TENANT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * CIDR blocks for the WAF allow list (IPv4 or IPv6), e.g. Microsoft Entra's published ranges.
 * The check is syntactic; WAF rejects the rest at deploy time.
 */
const CidrSchema = z.union([z.cidrv4(), z.cidrv6()]);

/** API Gateway stage throttling: steady-state requests per second and the burst bucket. */
const ThrottlingSchema = z.strictObject({
  /** Steady-state requests per second. Entra sends at most a few dozen per second per app. */
  rateLimit: z.number().positive().max(10_000).default(50),
  /** Burst bucket size (requests). */
  burstLimit: z.int().positive().max(5_000).default(100),
});

/**
 * SCIM list paging (RFC 7644 §3.4.2.4): the `count` used when absent, and the cap. Bounds and
 * defaults belong to the SCIM layer (lambdas/scim/config/tenantScimConfig.ts), which checks them.
 */
const PaginationSchema = z.strictObject({
  defaultPageSize: z.int().optional(),
  maxPageSize: z.int().optional(),
});

/** Optional WAFv2 web ACL in front of the stage: the tenant's own, or the ops stack's shared one. */
const WafSchema = z.strictObject({
  /** A web ACL of the tenant's own (about $6/month, and WAF allows 100 web ACLs per Region). */
  enabled: z.boolean().default(false),
  /**
   * Associate the stage with the ops stack's shared web ACL instead (its ARN is read from SSM at
   * deploy time; deploy the ops stack with WAF on first). A stage takes one web ACL, so not both.
   */
  shared: z.boolean().default(false),
  /** Requests per source IP per 5 minutes before WAF answers 429 (WAF's minimum is 10). */
  rateLimitPer5Min: z.int().min(10).max(2_000_000_000).default(3_000),
  /** When non-empty, only these source ranges may call the API (e.g. the IdP's egress ranges). */
  allowedCidrs: z.array(CidrSchema).max(10_000).default([]),
  /**
   * What the web ACL logs to `aws-waf-logs-scim-<tenant>`: `blocked` (what WAF refused, with the
   * rule) or `all`. The Authorization header and the query string are redacted either way.
   */
  logging: z.enum(['blocked', 'all']).default('blocked'),
});

/** The change feed the vendor's app consumes (lib/ScimChangeFeed.ts, README "Consuming changes"). */
const ChangeFeedSchema = z.strictObject({
  /** EventBridge bus: the account's `default` bus, or `tenant` (a bus named `scim-<tenant>-events`). */
  bus: z.enum(['default', 'tenant']).default('default'),
  /** Event `data`: the resource after the change (`full`), or ids only (`ids`, no personal data on the bus). */
  payload: z.enum(['full', 'ids']).default('full'),
  /** Days GET /events keeps an event (the event log's TTL). */
  eventLogRetentionDays: z.int().min(1).max(365).default(7),
  /** HTTPS endpoint receiving every event as a Standard Webhooks POST; none by default. */
  webhookUrl: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).optional(),
});

/**
 * One tenant's configuration file (`config/tenants/<tenant>.json`), everything optional. Strict:
 * a misspelt key is an error at synth time rather than a silently ignored setting.
 */
export const TenantConfigSchema = z.strictObject({
  /** Free text for humans; ignored. */
  $comment: z.string().optional(),
  /**
   * Tenant-defined SCIM schema extensions (RFC 7643 §7), passed to the Lambdas in SCIM_CONFIG.
   * Validated with the SCIM layer's own schema, so a bad extension fails the synth, not a request.
   */
  customExtensions: z.array(customExtensionSpecSchema).default([]),
  /** Unknown attributes in POST/PUT bodies: 'reject' (400, RFC 7644 §3.3) or 'ignore'. */
  unknownAttributes: z.enum(['reject', 'ignore']).optional(),
  throttling: ThrottlingSchema.default({ rateLimit: 50, burstLimit: 100 }),
  pagination: PaginationSchema.default({}),
  /** Retention of the Lambda and access log groups. */
  logRetentionDays: z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(90),
  /**
   * Email subscribed to a tenant alarm topic of its own (confirmation mail is sent on deploy). Without
   * it the tenant's alarms notify the ops stack's shared topic.
   */
  alarmEmail: z.email().optional(),
  /**
   * Opt-in "the IdP stopped syncing" alarm: hours without any successful authenticated call (reads
   * included) before it fires, for a tenant that made one within the past week. Absent: no such
   * alarm (quiet weekends and read-only tenants are not incidents). At most 144, so a day of the 7
   * CloudWatch can look back is left to notice the silence in (lib/ScimDashboard.ts).
   */
  noProvisioningAlarmHours: z.int().min(1).max(NO_PROVISIONING_MAX_HOURS).optional(),
  waf: WafSchema.default({ enabled: false, shared: false, rateLimitPer5Min: 3_000, allowedCidrs: [], logging: 'blocked' }).refine(
    (w) => !(w.enabled && w.shared),
    { message: 'waf.enabled and waf.shared are exclusive: an API stage takes one web ACL' },
  ),
  /**
   * Which custom metrics the functions emit (lambdas/contracts/metricNames.ts METRIC_SETS). Each metric
   * and dimension combination is billed as a CloudWatch custom metric (~$0.30/month): `minimal`
   * keeps what the fleet dashboard and alarms read; `standard` adds the provisioning counts and
   * errors by status and scimType; `full` also splits requests and errors by operation.
   */
  metricsDetail: z.enum(METRICS_DETAIL_LEVELS).default('minimal'),
  /** A CloudWatch dashboard of the tenant's own ($3/month); the ops stack's fleet dashboard covers every tenant. */
  dashboard: z.boolean().default(false),
  /**
   * The tenant's own alarms (5xx rate, function errors and throttles, DynamoDB throttling, token
   * denials and secret errors; ~$1.90/month). Off by default: the ops stack's fleet alarms cover
   * every tenant.
   */
  tenantAlarms: z.boolean().default(false),
  /**
   * Generation of the retained table and secret. Their names are fixed (`scim-<tenant>`,
   * `scim/<tenant>/tokens`) at generation 1 and carry `.g<n>` from 2 on, so a tenant re-onboarded
   * after its stack was deleted can start on fresh resources instead of colliding with the retained
   * ones (or import them: docs/runbooks/decommission.md).
   */
  dataGeneration: z.int().min(1).max(999).default(1),
  /**
   * Only while upgrading a table created before the sorted indexes (GSI3-5): how many of the
   * table's global secondary indexes (GSI1..GSIn) the stack declares. CloudFormation adds at most
   * one GSI per table update, so the upgrade steps it 2, 3, 4 and then removes the key
   * (docs/runbooks/upgrade.md). While it is set, the functions serve sortBy and sw/gt/lt ranges by
   * the bounded paths instead of the incomplete indexes.
   */
  tableIndexes: z.int().min(2).max(TABLE_DEFINITION.globalSecondaryIndexes.length).optional(),
  /**
   * API Gateway's authorizer result cache (seconds, 0 disables, max 3600). Part of the revocation
   * delay, see lambdas/auth/constants.ts.
   */
  authorizerCacheTtlSeconds: z.int().min(0).max(3_600).default(API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS),
  /**
   * Memory of the /Bulk function (MB). The default, 5 vCPU, fits a BulkRequest of 1,000 creates
   * with passwords in about half its timeout (see lambdas/contracts/awsLimits.ts); an account
   * still capped at 3,008 MB sets 3008, and bulk then answers what did not fit with a
   * per-operation 503 to retry.
   */
  bulkMemoryMb: z.int().min(128).max(10_240).default(BULK_FUNCTION_MEMORY_MB),
  /**
   * Reserved concurrency by function (a cap on the tenant's executions, and executions held for
   * it out of the Region's shared pool). Keys absent keep DEFAULT_RESERVED_CONCURRENCY
   * (lambdas/contracts/awsLimits.ts: `bulk` 2); `null` leaves a function in the unreserved pool
   * (the only choice on an account whose concurrency quota is still below 100).
   */
  reservedConcurrency: z
    .strictObject(Object.fromEntries(FUNCTION_NAMES.map((n) => [n, z.union([z.int().min(1).max(10_000), z.null()]).optional()])) as ReservedConcurrencyShape)
    .default({}),
  /** X-Ray tracing on the API stage and the functions. */
  tracing: z.boolean().default(false),
  /**
   * Load the functions' source maps at init (`--enable-source-maps`): TypeScript file and line in
   * logged stack traces, at the price of a slower cold start. The maps are uploaded either way.
   */
  sourceMaps: z.boolean().default(false),
  /**
   * OAuth 2.0 client credentials and Entra Workload Identity Federation (POST /oauth2/token):
   * `enabled`, `accessTokenMinutes` (60-360), `federation` (lambdas/auth/oauth/oauthConfig.ts).
   */
  oauth: z.prefault(OAuthConfigSchema, {}),
  changeFeed: ChangeFeedSchema.default({ bus: 'default', payload: 'full', eventLogRetentionDays: 7 }),
}).superRefine((c, ctx) => {
  // Cross-field SCIM rules (URN clashes, defaultPageSize <= maxPageSize) live in the SCIM schema:
  // run it and report its issues at the paths of this file.
  const result = tenantScimConfigSchema.safeParse(scimConfigInput(c));
  if (result.success) return;
  for (const issue of result.error.issues) {
    const [head, ...rest] = issue.path;
    const path = head === 'maxPageSize' || head === 'defaultPageSize' ? ['pagination', head, ...rest] : issue.path;
    ctx.addIssue({ code: 'custom', path, message: issue.message });
  }
});

type ReservedConcurrencyShape = Record<FunctionName, z.ZodOptional<z.ZodUnion<[z.ZodInt, z.ZodNull]>>>;

/**
 * Each function's reserved concurrency as deployed: the tenant's settings over
 * DEFAULT_RESERVED_CONCURRENCY, `null` meaning none.
 */
export function reservedConcurrencyOf(config: Pick<TenantConfig, 'reservedConcurrency'>): Partial<Record<FunctionName, number>> {
  const merged: Partial<Record<FunctionName, number | null>> = { ...DEFAULT_RESERVED_CONCURRENCY, ...config.reservedConcurrency };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => typeof v === 'number')) as Partial<Record<FunctionName, number>>;
}

function scimConfigInput(c: {
  customExtensions: unknown[];
  unknownAttributes?: 'reject' | 'ignore';
  pagination: { defaultPageSize?: number; maxPageSize?: number };
  tableIndexes?: number;
}): TenantScimConfigInput {
  return {
    customExtensions: c.customExtensions as TenantScimConfigInput['customExtensions'],
    unknownAttributes: c.unknownAttributes,
    maxPageSize: c.pagination.maxPageSize,
    defaultPageSize: c.pagination.defaultPageSize,
    sortedIndexes: c.tableIndexes === undefined,
  };
}

/**
 * The SCIM part of a tenant's configuration, defaults filled in by the SCIM layer: what the
 * functions receive as SCIM_CONFIG (and parse again with parseTenantScimConfig).
 */
export function scimConfigOf(config: TenantConfig): TenantScimConfig {
  return tenantScimConfigSchema.parse(scimConfigInput(config));
}

/** A validated tenant configuration with defaults filled in. */
export type TenantConfig = z.infer<typeof TenantConfigSchema>;

/** The configuration file's shape before defaults (what a human writes). */
export type TenantConfigInput = z.input<typeof TenantConfigSchema>;

/** Validates a parsed configuration file; throws a ZodError listing every problem. */
export function parseTenantConfig(input: unknown): TenantConfig {
  return TenantConfigSchema.parse(input);
}

/** The configuration used when a tenant has no file: every default. */
export function defaultTenantConfig(): TenantConfig {
  return TenantConfigSchema.parse({});
}

/** True when `name` is a valid tenant name (see TENANT_NAME_PATTERN). */
export function isTenantName(name: string): boolean {
  return TENANT_NAME_PATTERN.test(name);
}

/**
 * Domains reserved for documentation (RFC 2606 §2-3, RFC 6761): mail to them never arrives, so an
 * alarm email there is a placeholder copied from an example, not an address.
 */
const EXAMPLE_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i;

/** RFC 6963 reserves `urn:example:` for documentation; a schema URN under it is a placeholder. */
const EXAMPLE_URN = /^urn:example:/i;

/**
 * The placeholder values of a configuration (an alarm email in a reserved example domain, a custom
 * extension in the `urn:example:` namespace), one message each. They are what
 * config/tenant.example.json holds, so a copied example cannot reach a real account unnoticed.
 */
export function findExampleValues(
  config: Pick<TenantConfig, 'alarmEmail'> & {
    readonly customExtensions: ReadonlyArray<{ readonly schema: { readonly id: string } }>;
    readonly changeFeed?: { readonly webhookUrl?: string };
  },
): string[] {
  const found: string[] = [];
  const domain = config.alarmEmail?.split('@').pop();
  if (domain !== undefined && EXAMPLE_DOMAIN.test(domain)) {
    found.push(`alarmEmail ${config.alarmEmail} is in a domain reserved for examples (RFC 2606): nobody would get the alarms`);
  }
  const webhookUrl = config.changeFeed?.webhookUrl;
  const hook = webhookUrl ? new URL(webhookUrl).hostname : undefined;
  if (hook !== undefined && EXAMPLE_DOMAIN.test(hook)) {
    found.push(`changeFeed.webhookUrl ${webhookUrl} is in a domain reserved for examples (RFC 2606): no app would get the events`);
  }
  for (const ext of config.customExtensions) {
    if (EXAMPLE_URN.test(ext.schema.id)) {
      found.push(`customExtensions: ${ext.schema.id} is an example schema (urn:example:, RFC 6963): use your own URN or remove it`);
    }
  }
  return found;
}
