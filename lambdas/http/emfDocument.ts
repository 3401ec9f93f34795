import type { MetricDimension, MetricName, MetricSet } from '../contracts/metricNames';

/** What one request counted: its dimension values and metric values. */
export interface MetricValues {
  readonly dimensions: Readonly<Partial<Record<MetricDimension, string>>>;
  readonly values: ReadonlyMap<MetricName, number>;
}

/**
 * The CloudWatch Embedded Metric Format fields of one request: a single document whose `_aws`
 * block holds one directive per metric set (each with its own dimension set) over root-level
 * values, so every metric of the request travels in one log line. A set is left out when one of
 * its dimensions has no value or none of its metrics was counted; undefined when nothing was.
 * Spec: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfFields(namespace: string, timestamp: number, sets: readonly MetricSet[], counted: MetricValues): Record<string, unknown> | undefined {
  const directives: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: 'Count' }[] }[] = [];
  const root: Record<string, unknown> = {};
  for (const set of sets) {
    if (!set.dimensions.every((d) => counted.dimensions[d] !== undefined)) continue;
    const metrics = set.metrics.filter((m) => (counted.values.get(m) ?? 0) > 0);
    if (metrics.length === 0) continue;
    directives.push({ Namespace: namespace, Dimensions: [[...set.dimensions]], Metrics: metrics.map((Name) => ({ Name, Unit: 'Count' })) });
    for (const d of set.dimensions) root[d] = counted.dimensions[d];
    for (const m of metrics) root[m] = counted.values.get(m);
  }
  if (directives.length === 0) return undefined;
  return { _aws: { Timestamp: timestamp, CloudWatchMetrics: directives }, ...root };
}
