import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { OPS_NAMES } from './opsNames';
import { METRIC, METRICS_NAMESPACE, METRIC_DIMENSIONS } from '../lambdas/contracts/metricNames';

/** Props of {@link ScimDashboard}. */
export interface ScimDashboardProps {
  /** The tenant: the `tenant` dimension of the custom metrics and part of every name. */
  readonly tenant: string;
  /** The REST API (requests, 4xx/5xx, latency). */
  readonly api: apigateway.RestApi;
  /** The functions by name; the one named `authorizer` is the REQUEST authorizer. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The tenant's table. */
  readonly table: dynamodb.ITable;
  /**
   * Email subscribed to the alarm topic.
   * @default - no subscription (subscribe to the topic yourself)
   */
  readonly alarmEmail?: string;
  /**
   * Opt-in "the IdP stopped syncing" alarm: hours without any successful authenticated call (reads
   * included) before it fires, on a tenant that made one within the past 7 days. Between 1 and
   * NO_PROVISIONING_MAX_HOURS. A new tenant starts in OK, and a tenant silent for 7 days counts as
   * dormant (the alarm returns to OK).
   * @default - no such alarm (a quiet weekend or a read-only tenant is not an incident)
   */
  readonly noProvisioningAlarmHours?: number;
  /**
   * API 5xx rate (percent of requests, 5-minute periods) that raises the alarm.
   * @default 5
   */
  readonly serverErrorRatePercent?: number;
  /**
   * Authorizer denials within 5 minutes that count as a spike (a leaked or mistyped token).
   * @default 20
   */
  readonly authorizerDenialThreshold?: number;
  /**
   * Dashboard name (unique per account and region).
   * @default `scim-<tenant>`
   */
  readonly dashboardName?: string;
  /**
   * Whether to create the tenant's dashboard ($3/month each beyond CloudWatch's free three).
   * @default true
   */
  readonly createDashboard?: boolean;
  /**
   * Whether to create the tenant's alarms ($0.10 per alarm metric per month).
   * @default true
   */
  readonly createAlarms?: boolean;
  /**
   * The topic the alarms notify, e.g. the ops stack's shared topic. When set, no topic is created
   * and `alarmEmail` must be absent (subscribe to the shared topic instead).
   * @default - a topic of the tenant's own
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The key encrypting a topic of the tenant's own (ignored with `alarmTopic`). Its policy must
   * let cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*.
   * @default - the ops stack's key, by its alias (OPS_NAMES.alarmKeyAlias)
   */
  readonly alarmTopicKey?: kms.IKey;
}

/**
 * CloudWatch evaluates at most 7 days of hourly periods; the no-provisioning alarm's "was active"
 * half looks back that far, so its silence window must leave at least a day inside it.
 */
export const NO_PROVISIONING_MAX_HOURS = 144;

/** Hours the no-provisioning alarm looks back for the tenant's last activity (CloudWatch's maximum). */
const ACTIVITY_LOOKBACK_HOURS = 168;

/** Below this many requests in 5 minutes a 5xx rate is noise (one error of two is 50%). */
const MIN_REQUESTS_FOR_ERROR_RATE = 10;

/** DynamoDB operations the store uses; ThrottledRequests and SystemErrors are per operation. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
  dynamodb.Operation.TRANSACT_GET_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The tenant's CloudWatch dashboard and alarms. Custom metrics are read with exactly the names and
 * [tenant] dimension set of lambdas/contracts/metricNames.ts, which the runtime emits via EMF.
 */
export class ScimDashboard extends Construct {
  /** The dashboard, when created. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The topic every alarm notifies (on ALARM and back to OK). */
  public readonly alarmTopic: sns.ITopic;
  /**
   * Every alarm that notifies, by short key (`api5xxRate`, `usersErrors`, `noProvisioning`...);
   * README "Alarms" says what each means and whether it should page.
   */
  public readonly alarms: Readonly<Record<string, cloudwatch.AlarmBase>>;
  /** The dashboard's console URL. */
  public readonly dashboardUrl: string;

  private readonly tenant: string;

  constructor(scope: Construct, id: string, props: ScimDashboardProps) {
    super(scope, id);
    this.tenant = props.tenant;
    const { api, table } = props;
    const fnEntries = Object.entries(props.functions);
    const name = (suffix: string): string => `scim-${props.tenant}-${suffix}`;

    // ---- alarm topic
    if (props.alarmTopic && props.alarmEmail) throw new Error('alarmEmail needs a topic of the tenant\'s own: subscribe the address to the shared topic instead');
    const topic = props.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', {
      displayName: `SCIM alarms (${props.tenant})`,
      enforceSSL: true,
      // The ops stack's key, by alias (no export): CloudWatch may use it, the AWS-managed SNS key
      // it may not; one key for every tenant rather than $1 a month each.
      masterKey: props.alarmTopicKey ?? kms.Alias.fromAliasName(this, 'AlarmTopicKey', OPS_NAMES.alarmKeyAlias),
    });
    this.alarmTopic = topic;
    if (props.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    // ---- metrics
    const apiRequests = api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Requests' });
    const api4xx = api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' });
    const api5xx = api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' });
    // Distinct ids: both expressions share one graph, and ids must be unique within it.
    const rate = (errors: cloudwatch.IMetric, errorsId: string, label: string): cloudwatch.MathExpression =>
      new cloudwatch.MathExpression({
        expression: `IF(requests >= ${MIN_REQUESTS_FOR_ERROR_RATE}, 100 * ${errorsId} / requests, 0)`,
        usingMetrics: { requests: apiRequests, [errorsId]: errors },
        label,
        period: FIVE_MINUTES,
      });
    const rate4xx = rate(api4xx, 'clientErrors', '4xx rate (%)');
    const rate5xx = rate(api5xx, 'serverErrors', '5xx rate (%)');
    const percentiles = (metric: (o: cloudwatch.MetricOptions) => cloudwatch.Metric, what: string): cloudwatch.IMetric[] =>
      ['p50', 'p90', 'p99'].map((statistic) => metric({ statistic, period: FIVE_MINUTES, label: `${what} ${statistic}` }));

    const throttled = table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES, label: 'ThrottledRequests' });
    const systemErrors = table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES, label: 'SystemErrors' });

    // ---- alarms
    const action = new cwActions.SnsAction(this.alarmTopic);
    const alarms: Record<string, cloudwatch.AlarmBase> = {};
    const createAlarms = props.createAlarms ?? true;
    const alarm = (key: string, id: string, alarmProps: cloudwatch.AlarmProps): void => {
      if (!createAlarms) return;
      const a = new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps });
      a.addAlarmAction(action);
      a.addOkAction(action);
      alarms[key] = a;
    };

    alarm('api5xxRate', 'Api5xxRateAlarm', {
      metric: rate5xx,
      alarmName: name('api-5xx-rate'),
      alarmDescription: 'More than the allowed share of SCIM requests failed with 5xx; IdPs retry, then mark the sync as failed.',
      threshold: props.serverErrorRatePercent ?? 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    for (const [fnName, fn] of fnEntries) {
      // The authorizer throws "Unauthorized" for every 401 (API Gateway's contract), so its Lambda
      // Errors count mistyped tokens: its failures are alarmed on AuthorizerFailures below instead.
      if (fnName !== 'authorizer') {
        alarm(`${fnName}Errors`, `${pascal(fnName)}ErrorsAlarm`, {
          metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          alarmName: name(`${fnName}-errors`),
          alarmDescription: `The ${fnName} function raised unhandled errors or timed out (SCIM errors are answered, not raised: this is a bug or an outage).`,
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
        });
      }
      alarm(`${fnName}Throttles`, `${pascal(fnName)}ThrottlesAlarm`, {
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        alarmName: name(`${fnName}-throttles`),
        alarmDescription: `Invocations of the ${fnName} function were throttled (account concurrency or reserved concurrency exhausted).`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    alarm('dynamoDbThrottling', 'DynamoDbThrottlingAlarm', {
      metric: throttled,
      alarmName: name('dynamodb-throttling'),
      alarmDescription: 'DynamoDB throttled requests on the tenant table in two consecutive 5-minute periods (on-demand scaling lagging a full sync).',
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
    });
    alarm('authorizerDenialSpike', 'AuthorizerDenialSpikeAlarm', {
      metric: this.custom(METRIC.authorizerDeny, FIVE_MINUTES),
      alarmName: name('authorizer-denials'),
      alarmDescription: 'Many requests with a missing, unknown, revoked or expired token: a leaked token being tried, or an IdP configured with a wrong one.',
      threshold: props.authorizerDenialThreshold ?? 20,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('authorizerFailures', 'AuthorizerFailuresAlarm', {
      metric: this.custom(METRIC.authorizerFailures, FIVE_MINUTES),
      alarmName: name('authorizer-failures'),
      alarmDescription:
        'The authorizer failed for a reason of its own (token secret unreadable or malformed, an unexpected exception): requests are being refused. Denials of bad tokens never count here.',
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    if (props.noProvisioningAlarmHours !== undefined) this.noProvisioningAlarm(props.noProvisioningAlarmHours, name, action, alarms);
    this.alarms = alarms;

    // ---- dashboard
    const dashboardName = props.dashboardName ?? `scim-${props.tenant}`;
    const region = Stack.of(this).region;
    this.dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
    if (props.createDashboard === false) return;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName, defaultInterval: Duration.hours(24) });
    this.dashboard = dashboard;
    const text = (markdown: string): cloudwatch.TextWidget => new cloudwatch.TextWidget({ markdown, width: 24, height: 2 });
    const graph = (title: string, left: cloudwatch.IMetric[], opts: Partial<cloudwatch.GraphWidgetProps> = {}): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left, width: 6, height: 6, ...opts });
    const perFunction = (title: string, metric: (fn: lambda.IFunction, label: string) => cloudwatch.IMetric): cloudwatch.GraphWidget =>
      graph(title, fnEntries.map(([n, fn]) => metric(fn, n)));
    const custom = (m: string): cloudwatch.IMetric => this.custom(m, FIVE_MINUTES);

    dashboard.addWidgets(
      text(`# SCIM tenant \`${props.tenant}\`\nIdP traffic through API Gateway. Requests is every call; 4xx/5xx rates are percentages (0 below ${MIN_REQUESTS_FOR_ERROR_RATE} requests per 5 min). 401/403 come from the authorizer, 429 from throttling.`),
    );
    dashboard.addWidgets(
      graph('API requests', [apiRequests]),
      graph('API 4xx / 5xx rate (%)', [rate4xx, rate5xx]),
      graph('API latency (ms)', percentiles((o) => api.metricLatency(o), 'Latency')),
      graph('Integration latency (ms)', percentiles((o) => api.metricIntegrationLatency(o), 'IntegrationLatency')),
    );
    dashboard.addWidgets(
      text('## SCIM operations and authorizer\nAs counted by the handlers (ClientErrors = SCIM 4xx such as uniqueness or invalidFilter; Throttles = DynamoDB throttling seen after retries). Authorizer denials spike when a token leaks, is revoked or is mistyped in the IdP; failures (secret errors included) mean the authorizer itself is broken and requests are being refused.'),
    );
    dashboard.addWidgets(
      graph('SCIM requests / errors', [METRIC.requests, METRIC.clientErrors, METRIC.serverErrors, METRIC.throttles].map(custom)),
      graph('Authorizer allows / denials', [METRIC.authorizerAllow, METRIC.authorizerDeny].map(custom)),
      graph('Authorizer failures / secret errors', [custom(METRIC.authorizerFailures), custom(METRIC.authorizerSecretErrors)]),
      // With the tenant's alarms off, the fleet alarms live on the ops stack's dashboard.
      ...(Object.keys(alarms).length > 0 ? [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(alarms), width: 6, height: 6 })] : []),
    );
    dashboard.addWidgets(
      text('## By operation\nThe same counts split by SCIM operation (`user.create`, `group.patch`...): which call an IdP is making, and which one fails. Uses SEARCH over the [tenant, operation] dimension set, so new operations appear without a deploy.'),
    );
    dashboard.addWidgets(
      ...[METRIC.requests, METRIC.clientErrors, METRIC.serverErrors].map((m) =>
        graph(`${m} by operation`, [this.byOperation(m)], { width: 8 }),
      ),
    );
    dashboard.addWidgets(
      text('## Errors by status and scimType\nEvery 4xx/5xx answer by HTTP status and RFC 7644 scimType: `409 uniqueness` means the IdP is creating users that already exist (matching attribute mismatch), `400 invalidFilter` or `invalidPath` an IdP sending something we refuse, `412` stale ETags, `429` throttling.'),
      graph('Errors by status and scimType', [this.byStatusAndScimType()], { width: 18 }),
    );
    dashboard.addWidgets(
      text('## Lambda functions\nOne line per function. Errors are unhandled exceptions and timeouts (SCIM errors are responses, not errors); the authorizer counts every 401 among them, because API Gateway needs it to throw for one. Throttles mean the concurrency limit was hit. Duration p99 shows cold starts and slow DynamoDB calls.'),
    );
    dashboard.addWidgets(
      perFunction('Errors', (fn, label) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label })),
      perFunction('Throttles', (fn, label) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label })),
      perFunction('Duration p99 (ms)', (fn, label) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label })),
      perFunction('Concurrent executions (max)', (fn, label) =>
        fn.metric('ConcurrentExecutions', { period: FIVE_MINUTES, statistic: 'Maximum', label }),
      ),
    );
    dashboard.addWidgets(
      text('## DynamoDB table\nOn-demand capacity consumed by the store. Throttled requests appear when a full sync outruns on-demand scaling (the SDK retries; handlers answer 503 if retries run out). System errors are DynamoDB-side failures.'),
    );
    dashboard.addWidgets(
      graph('Consumed RCU / WCU', [
        table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum', label: 'RCU' }),
        table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum', label: 'WCU' }),
      ], { width: 8 }),
      graph('Throttled requests', [throttled], { width: 8 }),
      graph('System errors', [systemErrors], { width: 8 }),
    );
    dashboard.addWidgets(
      text('## Provisioning\nWhat the IdP changed. ProvisioningSuccess counts successful writes; SuccessfulRequests every successful call, reads included, which the opt-in no-provisioning alarm watches.'),
    );
    dashboard.addWidgets(
      graph('Users', [METRIC.usersCreated, METRIC.usersUpdated, METRIC.usersDeactivated, METRIC.usersReactivated, METRIC.usersDeleted].map(custom), { width: 8 }),
      graph('Groups and memberships', [METRIC.groupsCreated, METRIC.groupsUpdated, METRIC.groupsDeleted, METRIC.membersAdded, METRIC.membersRemoved].map(custom), { width: 8 }),
      graph('Successful writes / calls (hourly)', [METRIC.provisioningSuccess, METRIC.successfulRequests].map((m) => this.custom(m, Duration.hours(1))), { width: 8 }),
    );

  }

  /**
   * The opt-in "IdP stopped syncing" alarm: a composite of "no successful call for `hours`" AND
   * "a successful call within the past 7 days", so a tenant that was never connected (a new one)
   * or has been dormant for a week stays OK. Only the composite notifies; its two halves are
   * plumbing (no actions).
   */
  private noProvisioningAlarm(
    hours: number,
    name: (suffix: string) => string,
    action: cloudwatch.IAlarmAction,
    alarms: Record<string, cloudwatch.AlarmBase>,
  ): void {
    if (!Number.isInteger(hours) || hours < 1 || hours > NO_PROVISIONING_MAX_HOURS) {
      throw new Error(`noProvisioningAlarmHours must be an integer in 1..${NO_PROVISIONING_MAX_HOURS}, got ${hours}`);
    }
    const calls = this.custom(METRIC.successfulRequests, Duration.hours(1));
    const silent = new cloudwatch.Alarm(this, 'NoSuccessfulCallsAlarm', {
      metric: calls,
      alarmName: name('no-successful-calls'),
      alarmDescription: `Part of the no-provisioning alarm (no actions): no successful authenticated call for ${hours} hours.`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      // No data IS the signal: with no calls the runtime emits nothing.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const active = new cloudwatch.Alarm(this, 'RecentlyActiveAlarm', {
      metric: calls,
      alarmName: name('recently-active'),
      alarmDescription: `Part of the no-provisioning alarm (no actions): ALARM here means "the tenant made a successful call within ${ACTIVITY_LOOKBACK_HOURS} hours", not a problem.`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: ACTIVITY_LOOKBACK_HOURS,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const composite = new cloudwatch.CompositeAlarm(this, 'NoProvisioningAlarm', {
      compositeAlarmName: name('no-provisioning'),
      alarmDescription: `No successful SCIM call for ${hours} hours from a tenant that was active this week: the IdP may have stopped syncing (quarantine, expired token, disabled app).`,
      alarmRule: cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(silent, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(active, cloudwatch.AlarmState.ALARM),
      ),
    });
    composite.addAlarmAction(action);
    composite.addOkAction(action);
    alarms.noProvisioning = composite;
  }

  /**
   * One line per operation of a per-operation metric ([tenant, operation]); a SEARCH because the
   * operations are open-ended. Dashboards only: alarms use the fixed [tenant] set.
   */
  public byOperation(metricName: string): cloudwatch.MathExpression {
    const { tenant, operation } = METRIC_DIMENSIONS;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${tenant},${operation}} MetricName="${metricName}" ${tenant}="${this.tenant}"', 'Sum', 300)`,
      usingMetrics: {},
      label: '',
      period: FIVE_MINUTES,
    });
  }

  /** One line per (status, scimType) of the Errors metric ([tenant, status, scimType]). */
  public byStatusAndScimType(): cloudwatch.MathExpression {
    const { tenant, status, scimType } = METRIC_DIMENSIONS;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${tenant},${status},${scimType}} MetricName="${METRIC.errors}" ${tenant}="${this.tenant}"', 'Sum', 300)`,
      usingMetrics: {},
      label: '',
      period: FIVE_MINUTES,
    });
  }

  /** A custom metric from lambdas/contracts/metricNames.ts, summed, on the [tenant] dimension set. */
  public custom(metricName: string, period: Duration = FIVE_MINUTES): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [METRIC_DIMENSIONS.tenant]: this.tenant },
      statistic: 'Sum',
      period,
      label: metricName,
    });
  }
}

function pascal(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}
