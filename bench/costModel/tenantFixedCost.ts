import { METRICS_DETAIL_ENV, METRIC_SETS_BY_DETAIL, metricsDetailOf, type MetricSet } from '../../lambdas/contracts/metricNames';
import { fixedMonthlyCost, type CfnTemplate, type CostBreakdown, type CostLine, type FixedCostOptions } from './fixedCost';
import { PRICES } from './prices';

/**
 * The EMF metric sets a tenant template's functions publish: the METRICS_DETAIL variable they are
 * deployed with (tenant config `metricsDetail`), as the runtime reads it; every function that sets
 * it must agree.
 */
export function metricSetsOf(template: CfnTemplate): readonly MetricSet[] {
  // Functions deployed without the variable (the OAuth token function) publish no METRIC_SETS metrics.
  const levels = new Set(
    Object.values(template.Resources ?? {})
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.[METRICS_DETAIL_ENV])
      .filter((v): v is string => v !== undefined)
      .map(metricsDetailOf),
  );
  if (levels.size !== 1) throw new Error(`expected one metrics detail level across the functions, found ${[...levels].join(', ') || 'none'}`);
  return METRIC_SETS_BY_DETAIL[[...levels][0]];
}

/** Metrics Insights alarms of a template: alarms whose only query is a `SELECT` expression. */
function insightsAlarms(template: CfnTemplate): number {
  return Object.values(template.Resources ?? {}).filter(
    (r) => r.Type === 'AWS::CloudWatch::Alarm' && ((r.Properties?.Metrics as { Expression?: string }[] | undefined) ?? []).some((m) => /^\s*SELECT\b/i.test(m.Expression ?? '')),
  ).length;
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * One tenant's fixed monthly cost in a fleet of `tenants`: its own stack (fixedMonthlyCost, with
 * the metric sets its functions are deployed with), a 1/tenants share of the ops stack, and what
 * the ops stack's Metrics Insights alarms cost for it: CloudWatch bills such an alarm per metric
 * it analyzes, and each fleet alarm analyzes one metric of every tenant.
 */
export function tenantFixedCost(tenantTemplate: CfnTemplate, opsTemplate: CfnTemplate, tenants: number, options: FixedCostOptions = {}): CostBreakdown {
  const own = fixedMonthlyCost(tenantTemplate, { ...options, metricSets: options.metricSets ?? metricSetsOf(tenantTemplate) });
  // The ops stack emits no custom metrics of its own, and its insights alarms are priced per tenant below.
  const ops = fixedMonthlyCost(opsTemplate, { ...options, metricSets: [] });
  const alarmsUsd = PRICES.cloudwatch.alarmMetricPerMonth;
  const insights = insightsAlarms(opsTemplate);
  const opsWithoutInsights = ops.totalUsd - insights * alarmsUsd;
  const lines: CostLine[] = [
    ...own.lines,
    { item: `Ops stack share (1/${tenants})`, quantity: round(1 / tenants), unit: 'ops stack', unitUsd: round(opsWithoutInsights), monthlyUsd: round(opsWithoutInsights / tenants), basis: 'fleet dashboard, standard alarms, WAF when on: fixedMonthlyCost of the ops template' },
    { item: 'Fleet alarms (Metrics Insights)', quantity: insights, unit: 'metric analyzed', unitUsd: alarmsUsd, monthlyUsd: round(insights * alarmsUsd), basis: `${insights} ops-stack alarms, each analyzing this tenant's metric` },
  ];
  return { lines, totalUsd: round(lines.reduce((n, l) => n + l.monthlyUsd, 0)) };
}
