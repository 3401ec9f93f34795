import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { METRICS_NAMESPACE } from '../lambdas/contracts/metricNames';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { EVENT_SOURCE } from '../lambdas/feed/EventBridgeSink';
import { FEED_FUNCTIONS, STREAM_SETTINGS } from '../lambdas/feed/streamSettings';
import { AUDIT_LOG_PREFIX, EVENT_LOG_PREFIX } from '../lambdas/store/keys';
import { WEBHOOK_DELIVERY } from '../lambdas/feed/webhookDelivery';
import type { EventPayload } from '../lambdas/events/eventTypes';
import { EVENTS_ROUTE } from '../lambdas/auth/buildPolicy';
import { FUNCTION_BUNDLING } from './functionBundling';
import { POWERTOOLS_SERVICE_NAME, REPO_ROOT } from './ScimFunctions';

/** The change feed's functions. */
export const FEED_FUNCTION_NAMES = ['stream', 'events', 'webhook'] as const;

/** Name of one of the change feed's functions. */
export type FeedFunctionName = (typeof FEED_FUNCTION_NAMES)[number];

/** Props of {@link ScimChangeFeed}. */
export interface ScimChangeFeedProps {
  readonly tenant: string;
  /** The tenant's table; must have a stream with new and old images (ScimTable has). */
  readonly table: dynamodb.ITable;
  /** The tenant's API: `GET /events` is added to it, behind its authorizer. */
  readonly api: apigateway.RestApi;
  /**
   * Which EventBridge bus receives the events: the account's `default` bus, or a bus of the
   * tenant's own (`scim-<tenant>`), which keeps tenants' rules and permissions apart.
   * @default 'default'
   */
  readonly bus?: 'default' | 'tenant';
  /**
   * What `data` carries: the resource after the change, or ids only (for apps that must not
   * receive personal data through the bus).
   * @default 'full'
   */
  readonly payload?: EventPayload;
  /**
   * Days the event log keeps an event for GET /events (TTL).
   * @default 7
   */
  readonly eventLogRetentionDays?: number;
  /**
   * An HTTPS endpoint of the vendor's app that receives every event, signed by the Standard
   * Webhooks convention with a secret the stack generates in Secrets Manager.
   * @default - no webhook
   */
  readonly webhookUrl?: string;
  /** The tenant's SCIM configuration (custom extensions' `returned` rules), as JSON in SCIM_CONFIG. @default {} */
  readonly scimConfig?: Readonly<Record<string, unknown>>;
  /** Entry files by function; tests point them at a fixture. @default `lambdas/handlers/<name>.ts` */
  readonly entries?: Partial<Record<FeedFunctionName, string>>;
  /** Retention of the functions' log groups. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The role the feed's functions run as. The tenant stack passes the discovery function's role,
   * which has no table access of its own: IAM's 1,000 roles per account are what bound a fleet
   * (lib/awsQuotas.ts), and the feed's permissions reach only the feed's own partitions.
   * @default - a role of the feed's own
   */
  readonly role?: iam.IRole;
  /** Create the feed's alarms (the tenant's alarm configuration decides). @default true */
  readonly createAlarms?: boolean;
  /** X-Ray active tracing, like the SCIM functions. @default false */
  readonly tracing?: boolean;
  /** `NODE_OPTIONS=--enable-source-maps`, like the SCIM functions. @default false */
  readonly sourceMaps?: boolean;
}

/**
 * The contract the vendor's app consumes (docs/table-layout.md, README "Consuming changes"): the
 * table's stream → stream handler (Powertools batch, partial failures, resource items only by a
 * filter, failed batches to a dead-letter queue) → EventBridge and the event log; `GET /events`
 * over the log; optionally a bus rule → SQS → webhook delivery (Standard Webhooks, SQS retries with
 * backoff, dead-letter queue). Alarms on every dead-letter queue and on the stream's iterator age.
 */
export class ScimChangeFeed extends Construct {
  /** The stream handler. */
  public readonly streamHandler: NodejsFunction;
  /** The pull API's function (GET /events). */
  public readonly eventsFunction: NodejsFunction;
  /** Stream batches that could not be published after every retry (their shard and sequence range). */
  public readonly streamDeadLetterQueue: sqs.Queue;
  /** The bus the events go to. */
  public readonly eventBus: events.IEventBus;
  /** The rule matching this tenant's events on the bus (webhook delivery's source). */
  public readonly tenantRule?: events.Rule;
  /** Webhook deliveries waiting or being retried. */
  public readonly webhookQueue?: sqs.Queue;
  /** Webhook deliveries that failed every retry. */
  public readonly webhookDeadLetterQueue?: sqs.Queue;
  /** The webhook signing secret (`whsec_…`), to share with the app. */
  public readonly webhookSecret?: secretsmanager.Secret;
  /** The webhook delivery function. */
  public readonly webhookFunction?: NodejsFunction;
  /** The feed's alarms by name; the stack wires them to its alarm topic. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** `GET /events` resource on the API. */
  public readonly eventsResource: apigateway.Resource;

  constructor(scope: Construct, id: string, props: ScimChangeFeedProps) {
    super(scope, id);
    const { tenant, table } = props;
    const name = (suffix: string) => `scim-${tenant}-${suffix}`;
    const retentionDays = props.eventLogRetentionDays ?? 7;
    const alarms: Record<string, cloudwatch.Alarm> = {};
    const createAlarms = props.createAlarms ?? true;
    let ownRole: iam.Role | undefined;

    this.eventBus = props.bus === 'tenant' ? new events.EventBus(this, 'Bus', { eventBusName: name('events') }) : events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    const fn = (fnName: FeedFunctionName, timeout: Duration, environment: Record<string, string>, description: string): NodejsFunction => {
      const pascal = fnName[0].toUpperCase() + fnName.slice(1);
      const logGroup = new logs.LogGroup(this, `${pascal}LogGroup`, {
        retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        // Ids, types and statuses only, never event bodies: no reason to outlive the stack.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = props.role ?? (ownRole ??= new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `SCIM change feed functions of tenant ${tenant}` }));
      logGroup.grantWrite(role);
      const f = new NodejsFunction(this, `${pascal}Function`, {
        entry: props.entries?.[fnName] ?? path.join(REPO_ROOT, 'lambdas', 'handlers', `${fnName}.ts`),
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout,
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        description: `${description} (tenant ${tenant})`,
        environment: { TENANT: tenant, POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...environment },
        tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
        bundling: { ...FUNCTION_BUNDLING, externalModules: [...FUNCTION_BUNDLING.externalModules] },
      });
      NagSuppressions.addResourceSuppressions(f, [
        { id: 'AwsSolutions-L1', reason: 'Pinned to nodejs22.x on purpose, like every function of the stack: esbuild targets node22 and the handlers are tested on it.' },
      ]);
      return f;
    };
    const queue = (qid: string, queueName: string, extra: Partial<sqs.QueueProps> = {}): sqs.Queue =>
      new sqs.Queue(this, qid, {
        queueName,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        ...extra,
      });
    const dlqAlarm = (key: string, q: sqs.Queue, what: string) => {
      if (!createAlarms) return;
      alarms[key] = new cloudwatch.Alarm(this, `${key[0].toUpperCase()}${key.slice(1)}Alarm`, {
        alarmName: name(`${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
        alarmDescription: what,
        metric: q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    };

    // ---- stream → stream handler → event log + bus
    this.streamDeadLetterQueue = queue('StreamDeadLetterQueue', name('stream-dlq'));
    NagSuppressions.addResourceSuppressions(this.streamDeadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the stream event source mapping; a DLQ of a DLQ would only move the problem.' },
    ]);
    this.streamHandler = fn(
      'stream',
      Duration.seconds(FEED_FUNCTIONS.stream.timeoutSeconds),
      {
        TABLE_NAME: table.tableName,
        EVENT_BUS_NAME: this.eventBus.eventBusName,
        EVENT_PAYLOAD: props.payload ?? 'full',
        EVENT_LOG_RETENTION_DAYS: String(retentionDays),
        SCIM_CONFIG: JSON.stringify(props.scimConfig ?? {}),
      },
      'SCIM change feed: table stream to EventBridge and the event log',
    );
    this.streamHandler.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: STREAM_SETTINGS.batchSize,
        maxBatchingWindow: Duration.seconds(STREAM_SETTINGS.maxBatchingWindowSeconds),
        retryAttempts: STREAM_SETTINGS.retryAttempts,
        reportBatchItemFailures: true,
        // The handler holds back a batch's tail after a failure itself (commit order): bisecting would reorder.
        bisectBatchOnError: false,
        onFailure: new SqsDlq(this.streamDeadLetterQueue),
        filters: STREAM_SETTINGS.filterPatterns.map((p) => lambda.FilterCriteria.filter(p as unknown as Record<string, unknown>)),
      }),
    );
    // The event log and the audit trail live in the same table: writes only (BatchWriteItem), no
    // reads, and only to their own partitions (LeadingKeys), so the stream role can touch no user.
    this.streamHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${EVENT_LOG_PREFIX}*`, `${AUDIT_LOG_PREFIX}*`] } },
      }),
    );
    this.eventBus.grantPutEventsTo(this.streamHandler);
    dlqAlarm('streamDeadLetters', this.streamDeadLetterQueue, 'Stream records could not be published after every retry: events are missing on the bus and in GET /events until the batch is replayed (docs/table-layout.md).');
    if (createAlarms) alarms.streamIteratorAge = new cloudwatch.Alarm(this, 'StreamIteratorAgeAlarm', {
      alarmName: name('stream-iterator-age'),
      alarmDescription: 'The change feed lags the table by more than 5 minutes (publishing is failing or throttled).',
      metric: new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: this.streamHandler.functionName }, period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 5 * 60 * 1000,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // ---- GET /events
    this.eventsFunction = fn('events', Duration.seconds(FEED_FUNCTIONS.events.timeoutSeconds), { TABLE_NAME: table.tableName, EVENT_LOG_RETENTION_DAYS: String(retentionDays) }, 'SCIM pull API GET /events');
    // Reads of the log only: Query of its partitions, no Scan, no other item (the app cannot read or change the directory through it).
    this.eventsFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${EVENT_LOG_PREFIX}*`] } },
      }),
    );
    this.eventsResource = props.api.root.addResource(EVENTS_ROUTE);
    // The API's default method options put the REQUEST authorizer in front; its policy lets only events:read tokens through.
    const getEvents = this.eventsResource.addMethod('GET', new apigateway.LambdaIntegration(this.eventsFunction, { allowTestInvoke: false }));
    NagSuppressions.addResourceSuppressions(getEvents, [
      { id: 'AwsSolutions-COG4', reason: 'The vendor app authenticates with an events:read bearer token verified by the REQUEST authorizer, like every route of this API; no Cognito user pool.' },
    ]);

    // ---- webhook: bus rule → SQS (backoff, DLQ) → signed delivery
    if (props.webhookUrl) {
      this.webhookDeadLetterQueue = queue('WebhookDeadLetterQueue', name('webhook-dlq'));
      NagSuppressions.addResourceSuppressions(this.webhookDeadLetterQueue, [{ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the webhook queue.' }]);
      this.webhookQueue = queue('WebhookQueue', name('webhook'), {
        // Six times the function's timeout, as Lambda advises for SQS sources; failures set their own backoff.
        visibilityTimeout: Duration.seconds(WEBHOOK_DELIVERY.timeoutSeconds * 6),
        deadLetterQueue: { queue: this.webhookDeadLetterQueue, maxReceiveCount: WEBHOOK_DELIVERY.maxReceiveCount },
      });
      this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
        secretName: `scim/${tenant}/webhook`,
        description: `Standard Webhooks signing secret of tenant ${tenant}: share it with the receiving app`,
        // Letters and digits only: valid base64, which Standard Webhooks secrets are (whsec_<base64>).
        generateSecretString: { excludePunctuation: true, passwordLength: 32, includeSpace: false },
      });
      NagSuppressions.addResourceSuppressions(this.webhookSecret, [
        { id: 'AwsSolutions-SMG4', reason: 'Rotating a webhook secret needs the receiving app to accept both secrets for a while; rotation is an operator step (docs), not a schedule.' },
      ]);
      this.tenantRule = new events.Rule(this, 'TenantEventsRule', {
        eventBus: this.eventBus,
        description: `SCIM change events of tenant ${tenant} to its webhook queue`,
        eventPattern: { source: [EVENT_SOURCE], detail: { tenant: [tenant] } },
        targets: [
          new targets.SqsQueue(this.webhookQueue, {
            message: events.RuleTargetInput.fromEventPath('$.detail'),
            deadLetterQueue: this.webhookDeadLetterQueue,
            retryAttempts: 10,
          }),
        ],
      });
      this.webhookFunction = fn(
        'webhook',
        Duration.seconds(WEBHOOK_DELIVERY.timeoutSeconds),
        { WEBHOOK_URL: props.webhookUrl, WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn },
        'SCIM webhook delivery (Standard Webhooks)',
      );
      this.webhookSecret.grantRead(this.webhookFunction);
      this.webhookFunction.addEventSource(new SqsEventSource(this.webhookQueue, { batchSize: 10, reportBatchItemFailures: true }));
      // Backoff: a failed delivery pushes its own visibility out (ChangeMessageVisibility), SQS redelivers it then.
      this.webhookQueue.grant(this.webhookFunction, 'sqs:ChangeMessageVisibility');
      dlqAlarm('webhookDeadLetters', this.webhookDeadLetterQueue, 'Webhook deliveries failed every retry: the app missed events (it can catch up with GET /events).');
    }
    this.alarms = alarms;

    const streamWildcards = [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'DynamoDB Streams permissions name <table>/stream/* (a table has one stream whose label changes when it is re-enabled; the wildcard never leaves this table) and dynamodb:ListStreams, which takes no resource.',
        appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/stream\\/\\*$/g' }, { regex: '/^Resource::\\*$/g' }],
      },
    ];
    NagSuppressions.addResourceSuppressions(this, streamWildcards, true);
    // A role passed in (the tenant stack's discovery role) holds the stream grants in its own policy.
    if (props.role instanceof iam.Role) NagSuppressions.addResourceSuppressions(props.role, streamWildcards, true);
  }
}
