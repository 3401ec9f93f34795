import { emfFields } from './emfDocument';
import { JsonLogger, parseLogLevel } from './jsonLogger';
import { currentScope, runInScope } from '../store/writeContext';
import { METRICS_DETAIL_ENV, METRICS_NAMESPACE, METRICS_TENANT_ENV, METRIC_SETS_BY_DETAIL, metricsDetailOf, type MetricDimension, type MetricName, type MetricSet } from '../contracts/metricNames';

/**
 * The container's settings, read once at init: nothing reads the environment per request or
 * per metric. Variable names are Powertools' (lib/ScimFunctions.ts sets them).
 */
const SETTINGS = {
  service: process.env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  tenant: process.env.TENANT,
  metricsTenant: process.env[METRICS_TENANT_ENV] || undefined,
  metricsEnabled: process.env.POWERTOOLS_METRICS_DISABLED?.toLowerCase() !== 'true',
  logLevel: parseLogLevel(process.env.POWERTOOLS_LOG_LEVEL),
  /** The tenant config's `metricsDetail` (lib/ScimFunctions.ts sets METRICS_DETAIL); unset means every metric. */
  metricSets: METRIC_SETS_BY_DETAIL[metricsDetailOf(process.env[METRICS_DETAIL_ENV])],
};

/** What one request accumulates until its single log line: keys for the logs, metric values. */
export interface RequestTelemetry {
  /** Request id, tenant, token id, operation: on every log line of the request. */
  readonly keys: Record<string, string | undefined>;
  readonly dimensions: Partial<Record<MetricDimension, string>>;
  readonly values: Map<MetricName, number>;
  readonly startedAt: number;
}

/**
 * Runs `f` as one request: metrics counted and lines logged inside it (however deep, however
 * many requests the local server runs at once) belong to that request. The telemetry rides in the
 * request scope the store's write stamp uses (lambdas/store/writeContext.ts: one
 * AsyncLocalStorage, not one per layer); a stamp already set around `f` stays.
 */
export function runAsRequest<T>(f: () => T): T {
  const telemetry: RequestTelemetry = { keys: {}, dimensions: {}, values: new Map(), startedAt: Date.now() };
  return runInScope({ ...currentScope(), telemetry }, f);
}

/** The telemetry of the request being served, if any. */
export function currentRequest(): RequestTelemetry | undefined {
  // Only runAsRequest sets the field, always to a RequestTelemetry.
  return currentScope()?.telemetry as RequestTelemetry | undefined;
}

/**
 * The container's structured logger (JSON lines). Lines inside a request carry its keys. Logs
 * ids, operations and statuses only: never tokens, never personal data such as userName.
 */
export const logger = new JsonLogger({ service: SETTINGS.service, level: SETTINGS.logLevel, keys: () => currentRequest()?.keys });

/**
 * The `tenant` dimension value of every metric when the function fixes one (the pooled stack: see
 * METRICS_TENANT_ENV), else undefined and each request's tenant is its dimension.
 */
export const METRICS_TENANT = SETTINGS.metricsTenant;

/** The tenant dimension when the authorizer context names none (the function's TENANT). */
export const DEFAULT_TENANT = SETTINGS.tenant ?? 'local';

/**
 * Counts a business event (UsersCreated, MembersAdded, ...) on the current request; it is
 * published with the request's other metrics in its one EMF document. Outside a request (no
 * caller today) it is published at once.
 */
export function countEvent(name: MetricName, value = 1): void {
  if (value <= 0) return;
  const request = currentRequest();
  if (request) {
    request.values.set(name, (request.values.get(name) ?? 0) + value);
    return;
  }
  runAsRequest(() => {
    const alone = currentRequest()!;
    alone.dimensions.tenant = METRICS_TENANT ?? DEFAULT_TENANT;
    alone.values.set(name, value);
    publishRequest('metrics', {});
  });
}

/**
 * Writes the request's one line: the log entry (`message`, keys, `extra`) and, when metrics are
 * on, the EMF document of everything it counted, under `sets`. Written when INFO is logged or
 * when there are metrics to publish.
 */
export function publishRequest(message: string, extra: Record<string, unknown>, sets: readonly MetricSet[] = SETTINGS.metricSets): void {
  const request = currentRequest();
  const emf = SETTINGS.metricsEnabled && request ? emfFields(SETTINGS.namespace, Date.now(), sets, request) : undefined;
  if (!emf && !logger.enabled('INFO')) return;
  logger.emit('INFO', message, { ...extra, ...emf });
}
