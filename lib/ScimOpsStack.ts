import { Aws, CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { METRIC, METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../lambdas/contracts/metricNames';
import { parseOpsConfig, type OpsConfig } from './opsConfig';
import { dashboardUrl, FEED_DEAD_LETTER_TAG, MAINTENANCE_FUNCTION_PATTERN, OPS_NAMES, poolTenantRuleName, schedulerRoleName, type PoolTenantSignal } from './opsNames';
import { ScimWebAcl, WAF_LOG_GROUP_PREFIX } from './ScimWebAcl';

/** Props of {@link ScimOpsStack}. */
export interface ScimOpsStackProps extends StackProps {
  /**
   * The ops configuration (`config/ops.json`).
   * @default parseOpsConfig({})
   */
  readonly config?: OpsConfig;
}

/** One fleet alarm: a Metrics Insights query over every tenant, compared with a threshold. */
interface FleetAlarmSpec {
  readonly key: string;
  readonly query: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly description: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** `SELECT <fn>(<metric>) FROM SCHEMA(ServerlessScim, tenant)`: the [tenant] set of every tenant. */
function overTenants(fn: 'MAX' | 'SUM', metric: string, groupBy = ''): string {
  return `SELECT ${fn}(${metric}) FROM SCHEMA(${METRICS_NAMESPACE}, ${METRIC_DIMENSIONS.tenant})${groupBy}`;
}

/**
 * The deepest change-feed dead-letter queue of the account and Region: every SQS queue tagged
 * FEED_DEAD_LETTER_TAG, so each new tenant's (and pool's) queues join without a deploy. Tag
 * filters need CloudWatch's resource tags for telemetry turned on in the account (README).
 */
export function feedDeadLettersQuery(tail = ''): string {
  return `SELECT MAX(ApproximateNumberOfMessagesVisible) FROM SCHEMA("AWS/SQS", QueueName) WHERE tag.${FEED_DEAD_LETTER_TAG.key} = '${FEED_DEAD_LETTER_TAG.value}'${tail}`;
}

/** The ten tenants with the highest sum of `metric`, one line each. */
export function topTenantsQuery(metric: string, limit = 10): string {
  return overTenants('SUM', metric, ` GROUP BY ${METRIC_DIMENSIONS.tenant} ORDER BY SUM() DESC LIMIT ${limit}`);
}

/** Props of {@link ContributorInsightsWidget}. */
export interface ContributorInsightsWidgetProps {
  readonly title: string;
  /** The Contributor Insights rule (by name: it may live in another stack, deployed later). */
  readonly ruleName: string;
  /** Contributors shown. @default 10 */
  readonly maxContributorCount?: number;
  /** @default 8 */
  readonly width?: number;
  /** @default 6 */
  readonly height?: number;
}

/**
 * A dashboard graph of a Contributor Insights rule's top contributors (the console's "Add to
 * dashboard" of a rule), which CDK has no widget class for: a metric widget whose properties name
 * the rule (`insightRule`) instead of metrics.
 */
export class ContributorInsightsWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly props: ContributorInsightsWidgetProps) {
    super(props.width ?? 8, props.height ?? 6);
  }

  /** The widget's dashboard-body JSON. */
  toJson(): unknown[] {
    return [
      {
        type: 'metric',
        width: this.width,
        height: this.height,
        x: this.x,
        y: this.y,
        properties: {
          title: this.props.title,
          region: Aws.REGION,
          view: 'timeSeries',
          stacked: false,
          period: FIVE_MINUTES.toSeconds(),
          legend: { position: 'right' },
          insightRule: { ruleName: this.props.ruleName, maxContributorCount: this.props.maxContributorCount ?? 10, orderBy: 'Sum' },
        },
      },
    ];
  }
}

/** What each pool's row of the fleet dashboard ranks its tenants by, in order. */
const POOL_ROW: ReadonlyArray<{ signal: PoolTenantSignal; title: string }> = [
  { signal: 'requests', title: 'requests' },
  { signal: 'serverErrors', title: '5xx' },
  { signal: 'clientErrors', title: '4xx' },
  { signal: 'throttled', title: '429 (over its rate)' },
];

/**
 * What every tenant of one account and Region shares, deployed once (`ScimOps`): the alarm topic,
 * the fleet dashboard and fleet alarms over the `tenant` dimension (CloudWatch Metrics Insights, so
 * a new tenant joins them without a deploy), the role EventBridge Scheduler uses to start every
 * tenant's maintenance function, and an optional shared WAF web ACL. Tenant stacks find each by a
 * fixed name (lib/opsNames.ts) or an SSM parameter, never through exports.
 */
export class ScimOpsStack extends Stack {
  /** The shared alarm topic (`scim-ops-alarms`). */
  public readonly alarmTopic: sns.Topic;
  /** The key encrypting every SCIM alarm topic of the account and Region (OPS_NAMES.alarmKeyAlias). */
  public readonly alarmKey: kms.Key;
  /** Lets WAF log delivery write to every SCIM web ACL's log group (`aws-waf-logs-scim-*`). */
  public readonly wafLogsPolicy: logs.CfnResourcePolicy;
  /** The fleet dashboard (`scim-fleet`). */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The fleet alarms, by key (`serverErrors`, `authorizerSecretErrors`, ...). */
  public readonly alarms: Readonly<Record<string, cloudwatch.CfnAlarm>>;
  /** The role EventBridge Scheduler assumes to invoke `scim-*-maintenance`. */
  public readonly schedulerRole: iam.Role;
  /** The shared web ACL, when `waf.enabled`. */
  public readonly webAcl?: ScimWebAcl;

  constructor(scope: Construct, id: string, props: ScimOpsStackProps = {}) {
    super(scope, id, {
      stackName: OPS_NAMES.stackName,
      description: 'Serverless SCIM: what every tenant of this account and Region shares (alarm topic, fleet dashboard and alarms, scheduler role, WAF)',
      ...props,
    });
    const config = props.config ?? parseOpsConfig({});
    Tags.of(this).add('app', 'serverless-scim');

    // ---- the alarm topic, by a fixed name: tenant stacks build its ARN (lib/opsNames.ts).
    // Encrypted under a key of our own: CloudWatch cannot publish to a topic under the AWS-managed
    // SNS key (its policy cannot grant CloudWatch kms:GenerateDataKey). One key for the account and
    // Region ($1 a month), found by alias by the tenants that have a topic of their own.
    this.alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      alias: OPS_NAMES.alarmKeyAlias,
      description: 'Encrypts the SCIM alarm topics of this account and Region (the ops topic and tenant topics)',
      enableKeyRotation: true,
    });
    this.alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: OPS_NAMES.alarmTopic,
      displayName: 'SCIM fleet alarms',
      enforceSSL: true,
      masterKey: this.alarmKey,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));

    // ---- WAF log delivery into every SCIM web ACL's log group, tenants' and the shared one. Without
    // this policy WAF appends each group to a resource policy of its own, which stops at 5,120
    // characters: a few dozen web ACLs, then a tenant's deploy fails.
    const wafLogs = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${WAF_LOG_GROUP_PREFIX}scim-*:log-stream:*`;
    this.wafLogsPolicy = new logs.CfnResourcePolicy(this, 'WafLogsPolicy', {
      policyName: OPS_NAMES.wafLogsPolicy,
      policyDocument: this.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WafLogDelivery',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: wafLogs,
            // Confused-deputy guard: deliveries of this account only.
            Condition: {
              StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
              ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
            },
          },
        ],
      }),
    });

    // ---- one scheduler role for every tenant's maintenance schedule.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: schedulerRoleName(),
      description: 'EventBridge Scheduler: starts the maintenance function of every SCIM tenant in this Region',
      // Confused-deputy guard: only schedules of this account may use the role.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [`arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${MAINTENANCE_FUNCTION_PATTERN}`],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.schedulerRole,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'One role serves every tenant, present and future: it may invoke only functions named scim-<tenant>-maintenance in this account and Region, which every tenant stack names so.',
          appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:scim-\\*-maintenance$/g' }],
        },
      ],
      true,
    );

    // ---- fleet alarms: the worst tenant per period, each a Metrics Insights query.
    const specs: FleetAlarmSpec[] = [
      {
        key: 'serverErrors',
        query: overTenants('MAX', METRIC.serverErrors),
        threshold: config.fleetAlarms.serverErrors,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        description: 'A tenant answered SCIM 5xx repeatedly: IdPs retry, then mark the sync failed. The fleet dashboard names the tenant.',
      },
      {
        key: 'authorizerFailures',
        query: overTenants('MAX', METRIC.authorizerFailures),
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        description: "A tenant's authorizer failed for a reason of its own (its token secret unreadable, a bug) and refuses requests: an outage, never a bad token.",
      },
      {
        key: 'authorizerDenials',
        query: overTenants('MAX', METRIC.authorizerDeny),
        threshold: config.fleetAlarms.authorizerDenials,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        description: 'Many requests to one tenant with a missing, unknown, revoked or expired token: a leaked token being tried, or an IdP with a wrong one (docs/runbooks/leaked-token.md).',
      },
      {
        key: 'throttles',
        query: overTenants('MAX', METRIC.throttles),
        threshold: 1,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        description: "A tenant's table throttled in two consecutive periods (on-demand scaling behind a full sync); clients got 429/503.",
      },
    ];
    const alarms: Record<string, cloudwatch.CfnAlarm> = {};
    for (const spec of specs) {
      alarms[spec.key] = new cloudwatch.CfnAlarm(this, `${spec.key[0].toUpperCase()}${spec.key.slice(1)}FleetAlarm`, {
        alarmName: `${OPS_NAMES.alarmPrefix}${spec.key}`,
        alarmDescription: spec.description,
        metrics: [{ id: 'worst', expression: spec.query, period: FIVE_MINUTES.toSeconds(), returnData: true }],
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        // No data means no tenant had that trouble: these metrics are only emitted when it happens.
        treatMissingData: 'notBreaching',
        alarmActions: [this.alarmTopic.topicArn],
        okActions: [this.alarmTopic.topicArn],
      });
    }
    // Every change feed's dead-letter queues (each tenant stack's and pool's), by their tag: a stream
    // batch or a webhook delivery that failed every retry, in one alarm with no alarm per tenant.
    alarms.feedDeadLetters = new cloudwatch.CfnAlarm(this, 'FeedDeadLettersFleetAlarm', {
      alarmName: `${OPS_NAMES.alarmPrefix}feedDeadLetters`,
      alarmDescription:
        "A change feed's dead-letter queue holds messages: stream records not published (events missing until replayed) or webhook deliveries that failed every retry. The fleet dashboard names the queue (scim-<tenant>-stream-dlq, scim-<tenant>-webhook-dlq, scim-pool-<pool>-...).",
      metrics: [{ id: 'deadLetters', expression: feedDeadLettersQuery(), period: FIVE_MINUTES.toSeconds(), returnData: true }],
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // SQS reports queue depth every 5 minutes even when empty; no data means no tagged queue yet.
      treatMissingData: 'notBreaching',
      alarmActions: [this.alarmTopic.topicArn],
      okActions: [this.alarmTopic.topicArn],
    });
    // Lambda's account-wide Throttles (no dimension): concurrency is shared by every tenant of the Region.
    alarms.lambdaThrottles = new cloudwatch.CfnAlarm(this, 'LambdaThrottlesFleetAlarm', {
      alarmName: `${OPS_NAMES.alarmPrefix}lambdaThrottles`,
      alarmDescription: 'Lambda throttled invocations in this Region: the account concurrency (shared by every tenant) ran out.',
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      statistic: 'Sum',
      period: FIVE_MINUTES.toSeconds(),
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      alarmActions: [this.alarmTopic.topicArn],
      okActions: [this.alarmTopic.topicArn],
    });
    this.alarms = alarms;

    // ---- fleet dashboard: top tenants by each signal.
    this.dashboard = new cloudwatch.Dashboard(this, 'FleetDashboard', { dashboardName: OPS_NAMES.fleetDashboard, defaultInterval: Duration.hours(24) });
    const query = (expression: string, label: string): cloudwatch.MathExpression =>
      new cloudwatch.MathExpression({ expression, usingMetrics: {}, label, period: FIVE_MINUTES });
    const top = (title: string, metric: string): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left: [query(topTenantsQuery(metric), metric)], width: 8, height: 6 });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          '# SCIM fleet\nThe ten worst tenants per signal (CloudWatch Metrics Insights over the `tenant` dimension: a new tenant appears without a deploy; a pool is one line, `pool.<name>`). Latency comes from API Gateway (`ApiName` = `scim-<tenant>`). Per-tenant dashboards: tenant config `dashboard: true`. Each pool of `pools` (config/ops.json and config/pools/*.json) has a row below ranking its tenants.',
      }),
    );
    this.dashboard.addWidgets(
      top('Top tenants by SCIM 5xx', METRIC.serverErrors),
      top('Top tenants by SCIM 4xx', METRIC.clientErrors),
      top('Top tenants by throttles (429/503)', METRIC.throttles),
    );
    this.dashboard.addWidgets(
      top('Top tenants by token denials', METRIC.authorizerDeny),
      top('Tenants with authorizer failures', METRIC.authorizerFailures),
      top('Top tenants by successful calls', METRIC.successfulRequests),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Top APIs by latency (max, ms)',
        left: [query('SELECT MAX(Latency) FROM SCHEMA("AWS/ApiGateway", ApiName) GROUP BY ApiName ORDER BY MAX() DESC LIMIT 10', 'Latency')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Top APIs by 5XXError',
        left: [query('SELECT SUM("5XXError") FROM SCHEMA("AWS/ApiGateway", ApiName) GROUP BY ApiName ORDER BY SUM() DESC LIMIT 10', '5XXError')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Change-feed dead-letter queues holding messages',
        left: [query(feedDeadLettersQuery(' GROUP BY QueueName ORDER BY MAX() DESC LIMIT 10'), 'messages')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Fleet alarms',
        alarms: Object.entries(alarms).map(([key, a]) => cloudwatch.Alarm.fromAlarmArn(this, `${key}Ref`, a.attrArn)),
        width: 8,
        height: 6,
      }),
    );

    // ---- one row per pool: its tenants ranked by its own Contributor Insights rules. A pool's
    // functions publish one metric series for the whole pool (`tenant` = `pool.<name>`, which the
    // widgets above rank among silo tenants), because a custom-metric dimension per pooled tenant
    // would be a billed metric each ($0.30 a month: 10,000 tenants x 6 metrics = $18,000 a month).
    // The rules already exist in each pool (priced per rule and matched log line, whatever the
    // number of tenants), and a widget over them costs nothing more; a Logs Insights widget would
    // bill the GBs of access log it scans every time the dashboard is opened or refreshed.
    for (const pool of config.pools) {
      this.dashboard.addWidgets(
        new cloudwatch.TextWidget({
          width: 24,
          height: 1,
          markdown: `### Pool \`${pool}\`: top tenants (Contributor Insights over its access log; its own series is \`pool.${pool}\` above; dashboard \`scim-pool-${pool}-dashboard\`)`,
        }),
      );
      this.dashboard.addWidgets(
        ...POOL_ROW.map(({ signal, title }) => new ContributorInsightsWidget({ title: `${pool}: top tenants by ${title}`, ruleName: poolTenantRuleName(pool, signal), width: 6 })),
      );
    }

    // ---- the optional shared web ACL, found by tenants through SSM.
    if (config.waf.enabled) {
      this.webAcl = new ScimWebAcl(this, 'Waf', {
        name: 'scim-fleet',
        rateLimitPer5Min: config.waf.rateLimitPer5Min,
        allowedCidrs: config.waf.allowedCidrs,
        metricPrefix: 'scim-fleet',
        logging: config.waf.logging,
      });
      new ssm.StringParameter(this, 'WebAclArnParameter', {
        parameterName: OPS_NAMES.webAclArnParameter,
        stringValue: this.webAcl.webAcl.attrArn,
        description: 'ARN of the shared SCIM web ACL; tenant stacks with waf.shared associate their stage with it',
      });
      new CfnOutput(this, 'WebAclArn', { value: this.webAcl.webAcl.attrArn, description: 'Shared web ACL' });
    }

    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe pagers and mail here' });
    new CfnOutput(this, 'FleetDashboardUrl', { value: dashboardUrl(OPS_NAMES.fleetDashboard), description: 'CloudWatch fleet dashboard' });
  }
}
