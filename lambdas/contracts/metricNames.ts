/**
 * Names shared by the runtime's metrics (Powertools Metrics, EMF) and the CDK dashboard and
 * alarms in lib/: one place, so a renamed metric cannot silently empty a graph.
 */
export const METRICS_NAMESPACE = 'ServerlessScim';

/**
 * Dimension names. Every metric is emitted with the dimension set [tenant] (so the dashboard and
 * alarms need no SEARCH); `Requests`, `ClientErrors` and `ServerErrors` are ALSO emitted with
 * [tenant, operation] (operation like `user.create`, `group.patch`). `Errors` is emitted with
 * [tenant, status, scimType] only (scimType `none` when the error has none). No `service` dimension.
 */
export const METRIC_DIMENSIONS = { tenant: 'tenant', operation: 'operation', status: 'status', scimType: 'scimType' } as const;

/** Metric names (unit Count unless noted). */
export const METRIC = {
  requests: 'Requests',
  /** Every 4xx/5xx answer, by HTTP status and RFC 7644 scimType: which mistake an IdP keeps making. */
  errors: 'Errors',
  clientErrors: 'ClientErrors',
  serverErrors: 'ServerErrors',
  /** Successful writes (POST/PUT/PATCH/DELETE), graphed: what the IdP changes. */
  provisioningSuccess: 'ProvisioningSuccess',
  /**
   * Every successful (2xx/3xx) answer to an authenticated call, reads included, on [tenant] only:
   * the opt-in no-provisioning alarm watches it (a read-only inventory tool is a live client too).
   */
  successfulRequests: 'SuccessfulRequests',
  usersCreated: 'UsersCreated',
  usersUpdated: 'UsersUpdated',
  usersDeactivated: 'UsersDeactivated',
  usersReactivated: 'UsersReactivated',
  usersDeleted: 'UsersDeleted',
  groupsCreated: 'GroupsCreated',
  groupsUpdated: 'GroupsUpdated',
  groupsDeleted: 'GroupsDeleted',
  membersAdded: 'MembersAdded',
  membersRemoved: 'MembersRemoved',
  authorizerAllow: 'AuthorizerAllow',
  authorizerDeny: 'AuthorizerDeny',
  /** Secrets Manager unreachable or secret malformed: the authorizer failed closed. */
  authorizerSecretErrors: 'AuthorizerSecretErrors',
  /**
   * The authorizer failed for a reason of its own (secret unusable, an unexpected exception), never
   * for a bad token: its alarm means an outage or a bug. Lambda's Errors metric cannot say this,
   * because API Gateway needs the authorizer to throw "Unauthorized" for every 401.
   */
  authorizerFailures: 'AuthorizerFailures',
  /** DynamoDB throttling seen by handlers (after SDK retries), answered 429/503. */
  throttles: 'Throttles',
} as const;

/** A metric's name (a value of {@link METRIC}). */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** A dimension's name (a value of {@link METRIC_DIMENSIONS}). */
export type MetricDimension = (typeof METRIC_DIMENSIONS)[keyof typeof METRIC_DIMENSIONS];

/**
 * One EMF directive: the metrics published under one dimension set. Each distinct combination of
 * dimension values is a CloudWatch custom metric (billed), so this table is the whole metric bill.
 */
export interface MetricSet {
  readonly dimensions: readonly MetricDimension[];
  readonly metrics: readonly MetricName[];
}

/** The per-operation metrics: counted once per answered request. */
export const REQUEST_METRICS: readonly MetricName[] = [METRIC.requests, METRIC.clientErrors, METRIC.serverErrors, METRIC.provisioningSuccess, METRIC.throttles];

/**
 * Which metrics go under which dimension sets (see {@link METRIC_DIMENSIONS}): every metric but
 * `Errors` under [tenant]; the per-request ones also under [tenant, operation]; `Errors` under
 * [tenant, status, scimType]. The runtime's EMF documents and bench/costModel both read this.
 */
export const METRIC_SETS: readonly MetricSet[] = [
  { dimensions: [METRIC_DIMENSIONS.tenant], metrics: Object.values(METRIC).filter((m) => m !== METRIC.errors) },
  { dimensions: [METRIC_DIMENSIONS.tenant, METRIC_DIMENSIONS.operation], metrics: REQUEST_METRICS },
  { dimensions: [METRIC_DIMENSIONS.tenant, METRIC_DIMENSIONS.status, METRIC_DIMENSIONS.scimType], metrics: [METRIC.errors] },
];

/** How many custom metrics a tenant emits: the tenant config's `metricsDetail`. */
export const METRICS_DETAIL_LEVELS = ['minimal', 'standard', 'full'] as const;

/** One of METRICS_DETAIL_LEVELS. */
export type MetricsDetail = (typeof METRICS_DETAIL_LEVELS)[number];

/** The environment variable carrying the level to the functions (read once per container). */
export const METRICS_DETAIL_ENV = 'METRICS_DETAIL';

/**
 * The environment variable that, when set, is the `tenant` dimension value of every metric the
 * function publishes, whatever tenant a request is of. The pooled stack sets it to the pool's own
 * value (lib/ScimPoolStack.ts poolMetricsTenant): a series per tenant would be a billed custom
 * metric per tenant. Logs keep each request's own tenant either way.
 */
export const METRICS_TENANT_ENV = 'METRICS_TENANT';

/**
 * The signals the ops stack's fleet dashboard and fleet alarms read, per tenant: errors, throttles,
 * token denials, authorizer failures (secret errors included) and successful calls, which the
 * opt-in no-provisioning alarm also watches. Everything else is detail.
 */
export const MINIMAL_METRICS: readonly MetricName[] = [
  METRIC.clientErrors,
  METRIC.serverErrors,
  METRIC.throttles,
  METRIC.authorizerDeny,
  METRIC.authorizerFailures,
  METRIC.successfulRequests,
];

/**
 * The metric sets of each detail level. Every metric name and dimension-value combination is a
 * billed custom metric (about $0.30 a month when emitted every hour): `minimal`, the default of a
 * deployed tenant, is the short list the fleet view needs on [tenant]; `standard` is every metric
 * on [tenant] plus Errors by status and scimType; `full` is METRIC_SETS, all the per-tenant
 * dashboard draws, [tenant, operation] included.
 */
export const METRIC_SETS_BY_DETAIL: Readonly<Record<MetricsDetail, readonly MetricSet[]>> = {
  minimal: [{ dimensions: [METRIC_DIMENSIONS.tenant], metrics: MINIMAL_METRICS }],
  standard: METRIC_SETS.filter((set) => !set.dimensions.includes(METRIC_DIMENSIONS.operation)),
  full: METRIC_SETS,
};

/** The level named by `value` (the METRICS_DETAIL variable); anything else, unset included, means `full`. */
export function metricsDetailOf(value: string | undefined): MetricsDetail {
  return (METRICS_DETAIL_LEVELS as readonly string[]).includes(value ?? '') ? (value as MetricsDetail) : 'full';
}

/** The metrics a level emits on the [tenant] set alone (the authorizer's only set). */
export function tenantMetricsOf(sets: readonly MetricSet[]): readonly MetricName[] {
  return sets.filter((set) => set.dimensions.length === 1 && set.dimensions[0] === METRIC_DIMENSIONS.tenant).flatMap((set) => set.metrics);
}
