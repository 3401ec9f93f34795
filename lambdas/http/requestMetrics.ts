import { METRIC, type MetricName } from '../contracts/metricNames';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The per-operation metrics one answered request counts: always Requests; ServerErrors or
 * ClientErrors by status (Throttles too for 429); ProvisioningSuccess for a successful write,
 * which the "IdP stopped syncing" alarm watches. A POST to `.search` is a read, not provisioning.
 */
export function requestMetrics(method: string, path: string, status: number): MetricName[] {
  const metrics: MetricName[] = [METRIC.requests];
  if (status >= 500) metrics.push(METRIC.serverErrors);
  else if (status >= 400) metrics.push(METRIC.clientErrors);
  else if (WRITE_METHODS.has(method.toUpperCase()) && !/\/\.search$/i.test(path)) metrics.push(METRIC.provisioningSuccess);
  if (status === 429) metrics.push(METRIC.throttles);
  return metrics;
}

/**
 * The tenant-wide metrics ([tenant] only, no per-operation copy) one answered request counts:
 * SuccessfulRequests for any 2xx/3xx, which the opt-in no-provisioning alarm watches. Every request
 * a handler answers was authenticated by the authorizer first.
 */
export function tenantMetrics(status: number): MetricName[] {
  return status >= 200 && status < 400 ? [METRIC.successfulRequests] : [];
}
