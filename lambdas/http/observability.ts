import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, METRIC, METRIC_DIMENSIONS } from './metricNames';

/**
 * The container's structured logger (JSON). Logs ids, operations and statuses only: never
 * tokens, never personal data such as userName or emails (docs/design.md security defaults).
 */
export const logger = new Logger({ serviceName: 'serverless-scim', logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });

/** The container's EMF metrics; flushed after each request by the observability middleware. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'serverless-scim' });
// The dashboard reads metrics by [tenant] and [tenant, operation]: drop Powertools' `service` dimension.
metrics.clearDefaultDimensions();

let tenantDimension = process.env.TENANT ?? 'local';

/** Sets the tenant dimension (from the environment, or the authorizer context locally). */
export function setTenant(tenant: string): void {
  tenantDimension = tenant;
}

/** Counts one business event (UsersCreated, MembersAdded, ...) under the [tenant] dimension set. */
export function countEvent(name: (typeof METRIC)[keyof typeof METRIC], value = 1): void {
  if (value <= 0) return;
  const m = metrics.singleMetric();
  m.clearDefaultDimensions();
  m.addDimension(METRIC_DIMENSIONS.tenant, tenantDimension);
  m.addMetric(name, MetricUnit.Count, value);
}

/** Counts a per-operation metric under both [tenant] and [tenant, operation]. */
export function countOperation(name: (typeof METRIC)[keyof typeof METRIC], operation: string): void {
  countEvent(name);
  const m = metrics.singleMetric();
  m.clearDefaultDimensions();
  m.addDimension(METRIC_DIMENSIONS.tenant, tenantDimension);
  m.addDimension(METRIC_DIMENSIONS.operation, operation);
  m.addMetric(name, MetricUnit.Count, 1);
}

/** Counts an error answer under [tenant, status, scimType] (issue: errors by status and scimType). */
export function countError(status: number, scimType: string | undefined): void {
  const m = metrics.singleMetric();
  m.clearDefaultDimensions();
  m.addDimension(METRIC_DIMENSIONS.tenant, tenantDimension);
  m.addDimension(METRIC_DIMENSIONS.status, String(status));
  m.addDimension(METRIC_DIMENSIONS.scimType, scimType ?? 'none');
  m.addMetric(METRIC.errors, MetricUnit.Count, 1);
}
