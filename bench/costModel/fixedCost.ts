import { METRIC_SETS, METRIC_DIMENSIONS, type MetricSet } from '../../lambdas/contracts/metricNames';
import { HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';

/** The part of a synthesized CloudFormation template the cost model reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
}

/** One priced line of the bill. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  /** How the quantity was obtained. */
  readonly basis: string;
}

/** A bill: its lines and their sum. */
export interface CostBreakdown {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

/**
 * Which custom metrics the tenant's traffic produces: each distinct (metric name, dimension
 * values) pair is one CloudWatch custom metric, billed for the hours it is emitted in.
 */
export interface MetricActivity {
  /** Values of the `operation` dimension seen in a month (`user.create`, `group.patch`, ...). */
  readonly operations: readonly string[];
  /** Distinct (status, scimType) pairs of the `Errors` metric seen in a month. */
  readonly errorKinds: number;
  /**
   * Share of the month's hours in which each metric is emitted (CloudWatch prorates custom
   * metrics by the hour). 1 = every hour: an upper bound, the figure to prove a budget with.
   * @default 1
   */
  readonly activeHoursFraction?: number;
}

/** What a scheduled invocation costs (the maintenance job: one Query when idle). */
export interface ScheduledRunCost {
  /** Billed duration per run, INIT included when cold. */
  readonly billedMs: number;
  /** DynamoDB read units per run. */
  readonly readUnits: number;
  /** Log bytes per run (Lambda's START/END/REPORT lines and ours). */
  readonly logBytes: number;
}

/** Inputs of {@link fixedMonthlyCost} besides the template. */
export interface FixedCostOptions {
  /** The EMF dimension sets the functions publish. @default METRIC_SETS (lambdas/contracts/metricNames.ts) */
  readonly metricSets?: readonly MetricSet[];
  /** @default ENTRA_METRIC_ACTIVITY */
  readonly activity?: MetricActivity;
  /** @default IDLE_MAINTENANCE_RUN */
  readonly scheduledRun?: ScheduledRunCost;
}

/**
 * The operations an Entra ID tenant's monthly traffic touches: the initial and daily cycles look
 * users and groups up by filter, create, patch, delete, and read the discovery documents.
 */
export const ENTRA_METRIC_ACTIVITY: MetricActivity = {
  operations: ['user.list', 'user.get', 'user.create', 'user.patch', 'user.delete', 'group.list', 'group.get', 'group.create', 'group.patch', 'group.delete', 'discovery.serviceProviderConfig', 'discovery.schemas', 'discovery.resourceTypes'],
  // 404 (lookups of deleted resources), 409 uniqueness, 400 invalidValue, 400 invalidFilter, 412.
  errorKinds: 5,
  activeHoursFraction: 1,
};

/** An idle maintenance run: warm, one Query of the pending-cleanup index, a few log lines. */
export const IDLE_MAINTENANCE_RUN: ScheduledRunCost = { billedMs: 20, readUnits: 0.5, logBytes: 700 };

const resourcesOf = (t: CfnTemplate, type: string) => Object.entries(t.Resources ?? {}).filter(([, r]) => r.Type === type);

const round = (n: number) => Math.round(n * 10_000) / 10_000;

function line(item: string, quantity: number, unit: string, unitUsd: number, basis: string): CostLine {
  return { item, quantity: round(quantity), unit, unitUsd, monthlyUsd: round(quantity * unitUsd), basis };
}

/** Invocations per month of an EventBridge `rate(...)` or `cron(...)` schedule. */
export function runsPerMonth(expression: string): number {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const seconds = rate[2].startsWith('minute') ? 60 : rate[2].startsWith('hour') ? 3600 : 86_400;
    return SECONDS_PER_MONTH / (n * seconds);
  }
  const cron = /^cron\((\S+) (\S+) \S+ \S+ \S+ \S+\)$/.exec(expression);
  if (cron) {
    // Minutes × hours fields, daily: enough for the schedules a stack declares ("0 3 * * ? *").
    const count = (field: string, range: number) => (field === '*' ? range : field.startsWith('0/') || field.startsWith('*/') ? range / Number(field.split('/')[1]) : field.split(',').length);
    return count(cron[1], 60) * count(cron[2], 24) * (HOURS_PER_MONTH / 24);
  }
  throw new Error(`unsupported schedule expression: ${expression}`);
}

/** Number of metrics an alarm evaluates (a metric-math alarm: each metric it reads) and whether high resolution. */
function alarmMetrics(props: Record<string, unknown>): { metrics: number; highRes: boolean } {
  const queries = props.Metrics as { MetricStat?: { Period?: number } }[] | undefined;
  if (queries) {
    const stats = queries.filter((q) => q.MetricStat);
    return { metrics: Math.max(1, stats.length), highRes: stats.some((q) => (q.MetricStat?.Period ?? 60) < 60) };
  }
  return { metrics: 1, highRes: ((props.Period as number | undefined) ?? 60) < 60 };
}

/** Custom metrics the metric sets yield for an activity: names × dimension value combinations. */
export function customMetricCount(metricSets: readonly MetricSet[], activity: MetricActivity): { count: number; bySet: Record<string, number> } {
  const bySet: Record<string, number> = {};
  let count = 0;
  for (const set of metricSets) {
    let combinations = 1;
    if (set.dimensions.includes(METRIC_DIMENSIONS.operation)) combinations *= activity.operations.length;
    if (set.dimensions.includes(METRIC_DIMENSIONS.status) || set.dimensions.includes(METRIC_DIMENSIONS.scimType)) combinations *= activity.errorKinds;
    const n = set.metrics.length * combinations;
    bySet[`[${set.dimensions.join(', ')}]`] = n;
    count += n;
  }
  return { count, bySet };
}

/**
 * The fixed monthly cost of one tenant: what its stack costs whatever the traffic. Read from the
 * synthesized template (dashboards, alarms, secrets, keys, web ACLs, schedules and the functions
 * they invoke) plus the custom metrics the EMF metric sets produce for a typical activity. Traffic
 * (API Gateway, Lambda, DynamoDB, logs of requests, WAF requests) is the variable part, elsewhere.
 */
export function fixedMonthlyCost(template: CfnTemplate, options: FixedCostOptions = {}): CostBreakdown {
  const cw = PRICES.cloudwatch;
  const lines: CostLine[] = [];
  const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard').length;
  if (dashboards) lines.push(line('CloudWatch dashboards', dashboards, 'dashboard', cw.dashboardPerMonth, 'AWS::CloudWatch::Dashboard in the template'));

  let alarmMetricCount = 0;
  let highResCount = 0;
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  for (const [, alarm] of alarms) {
    const { metrics, highRes } = alarmMetrics(alarm.Properties ?? {});
    if (highRes) highResCount += metrics;
    else alarmMetricCount += metrics;
  }
  if (alarmMetricCount) lines.push(line('CloudWatch alarms (standard)', alarmMetricCount, 'alarm metric', cw.alarmMetricPerMonth, `${alarms.length} AWS::CloudWatch::Alarm; metric-math alarms count each metric`));
  if (highResCount) lines.push(line('CloudWatch alarms (high resolution)', highResCount, 'alarm metric', cw.highResAlarmMetricPerMonth, 'alarms with a period under 60 s'));
  const composite = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm').length;
  if (composite) lines.push(line('CloudWatch composite alarms', composite, 'alarm', cw.compositeAlarmPerMonth, 'AWS::CloudWatch::CompositeAlarm'));

  const activity = options.activity ?? ENTRA_METRIC_ACTIVITY;
  const { count, bySet } = customMetricCount(options.metricSets ?? METRIC_SETS, activity);
  const hours = activity.activeHoursFraction ?? 1;
  if (count) {
    lines.push(
      line('CloudWatch custom metrics (EMF)', count * hours, 'metric-month', cw.customMetricPerMonth, `${Object.entries(bySet).map(([k, v]) => `${v} under ${k}`).join(', ')}; ${activity.operations.length} operations, ${activity.errorKinds} error kinds, emitted ${Math.round(hours * 100)} % of hours`),
    );
  }

  const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret').length;
  if (secrets) lines.push(line('Secrets Manager secrets', secrets, 'secret', PRICES.secretsManager.secretPerMonth, 'AWS::SecretsManager::Secret'));
  const keys = resourcesOf(template, 'AWS::KMS::Key').length;
  if (keys) lines.push(line('KMS customer managed keys', keys, 'key', PRICES.kms.keyPerMonth, 'AWS::KMS::Key'));

  for (const [, acl] of resourcesOf(template, 'AWS::WAFv2::WebACL')) {
    const rules = ((acl.Properties?.Rules as unknown[] | undefined) ?? []).length;
    lines.push(line('WAF web ACL', 1, 'web ACL', PRICES.waf.webAclPerMonth, 'AWS::WAFv2::WebACL'));
    if (rules) lines.push(line('WAF rules', rules, 'rule', PRICES.waf.rulePerMonth, 'rules of the web ACL'));
  }

  const functions = Object.fromEntries(resourcesOf(template, 'AWS::Lambda::Function'));
  const run = options.scheduledRun ?? IDLE_MAINTENANCE_RUN;
  type Target = { Arn?: { 'Fn::GetAtt'?: [string, string] } };
  const scheduledRuns = (id: string, expression: string, targets: readonly Target[]): void => {
    const runs = runsPerMonth(expression);
    for (const target of targets) {
      const fnId = target.Arn?.['Fn::GetAtt']?.[0];
      const fn = fnId ? functions[fnId] : undefined;
      if (!fn) continue;
      const memoryGb = ((fn.Properties?.MemorySize as number | undefined) ?? 128) / 1024;
      const basis = `${expression} (${id}) → ${Math.round(runs)} runs`;
      lines.push(line('Scheduled Lambda runs: requests', runs / 1e6, 'million requests', PRICES.lambda.perMillionRequests, basis));
      lines.push(line('Scheduled Lambda runs: duration', (runs * run.billedMs * memoryGb) / 1000, 'GB-second', PRICES.lambda.arm64PerGbSecond, `${run.billedMs} ms billed per run at ${memoryGb * 1024} MB`));
      lines.push(line('Scheduled Lambda runs: DynamoDB reads', (runs * run.readUnits) / 1e6, 'million read units', PRICES.dynamodb.perMillionReadUnits, `${run.readUnits} RRU per run`));
      lines.push(line('Scheduled Lambda runs: logs', (runs * run.logBytes) / 1e9, 'GB ingested', cw.logsIngestionPerGb, `${run.logBytes} bytes per run`));
    }
  };
  for (const [id, rule] of resourcesOf(template, 'AWS::Events::Rule')) {
    const expression = rule.Properties?.ScheduleExpression as string | undefined;
    if (expression) scheduledRuns(id, expression, (rule.Properties?.Targets as Target[] | undefined) ?? []);
  }
  // EventBridge Scheduler bills each invocation (the rule above does not); free tier ignored, as everywhere here.
  for (const [id, schedule] of resourcesOf(template, 'AWS::Scheduler::Schedule')) {
    const expression = schedule.Properties?.ScheduleExpression as string;
    const runs = runsPerMonth(expression);
    lines.push(line('EventBridge Scheduler invocations', runs / 1e6, 'million invocations', PRICES.eventBridge.schedulerPerMillionInvocations, `${expression} (${id}) → ${Math.round(runs)} runs`));
    scheduledRuns(id, expression, [schedule.Properties?.Target as Target]);
  }
  return { lines, totalUsd: round(lines.reduce((n, l) => n + l.monthlyUsd, 0)) };
}
