import type { Metrics } from '@aws-lambda-powertools/metrics';
import { tenantMetricsOf, type MetricName, type MetricSet } from '../contracts/metricNames';
import type { AuthorizerMetrics } from './createAuthorizer';

/**
 * The authorizer's metrics limited to a metric set (tenant config `metricsDetail`): names outside
 * it are dropped, and a flush with nothing kept publishes nothing (no empty EMF document, no
 * Powertools "no metrics" warning on every allowed request).
 */
export function limitMetrics(metrics: AuthorizerMetrics, sets: readonly MetricSet[]): AuthorizerMetrics {
  const allowed = tenantMetricsOf(sets);
  let kept = 0;
  return {
    addMetric: (name, unit, value) => {
      if (!allowed.includes(name as MetricName)) return metrics as Metrics;
      kept += 1;
      return metrics.addMetric(name, unit, value);
    },
    addMetadata: (key, value) => metrics.addMetadata(key, value),
    publishStoredMetrics: () => {
      if (kept === 0) return metrics as Metrics;
      kept = 0;
      return metrics.publishStoredMetrics();
    },
  };
}
