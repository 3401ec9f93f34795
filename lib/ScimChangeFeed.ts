import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { METRICS_NAMESPACE, METRICS_TENANT_ENV } from '../lambdas/contracts/metricNames';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { EVENT_SOURCE } from '../lambdas/feed/EventBridgeSink';
import { FEED_FUNCTIONS, STREAM_SETTINGS } from '../lambdas/feed/streamSettings';
import { AUDIT_LOG_PREFIX, EVENT_LOG_PREFIX, POOL_KEYS } from '../lambdas/store/keys';
import { WEBHOOK_DELIVERY } from '../lambdas/feed/webhookDelivery';
import type { EventPayload } from '../lambdas/events/eventTypes';
import { EVENTS_ROUTE } from '../lambdas/auth/buildPolicy';
import { FUNCTION_BUNDLING } from './functionBundling';
import { FEED_DEAD_LETTER_TAG } from './opsNames';
import { POWERTOOLS_SERVICE_NAME, REPO_ROOT } from './ScimFunctions';

/** The change feed's functions. */
export const FEED_FUNCTION_NAMES = ['stream', 'events', 'webhook'] as const;

/** Name of one of the change feed's functions. */
export type FeedFunctionName = (typeof FEED_FUNCTION_NAMES)[number];

/**
 * The EventBridge pattern of one tenant's change events, optionally of some types only: what a
 * rule routing a tenant's events to its own target matches. Every event carries `detail.tenant`
 * (in a pool, the tenant of the item's key space, never an attribute a client wrote).
 */
export function tenantEventPattern(tenant: string, types?: readonly string[]): events.EventPattern {
  return { source: [EVENT_SOURCE], ...(types && types.length > 0 ? { detailType: [...types] } : {}), detail: { tenant: [tenant] } };
}

/** Props of {@link TenantEventsRule}. */
export interface TenantEventsRuleProps {
  /** The feed's bus (ScimChangeFeed.eventBus, or by name from the `EventBusName` output). */
  readonly eventBus: events.IEventBus;
  /** The tenant whose events the rule routes. */
  readonly tenant: string;
  /** Event types to route (e.g. `user.deactivated`). @default every type */
  readonly types?: readonly string[];
  /** Where the events go (a queue, a function, another bus, an API destination…). */
  readonly targets: events.IRuleTarget[];
  /** @default - generated */
  readonly ruleName?: string;
}

/**
 * An EventBridge rule delivering one tenant's change events (of some types, or all) to targets of
 * the vendor's choice: per-tenant routing on a pool's (or a silo tenant's) bus without a resource
 * of ours per tenant. A bus holds 300 rules by default (a raisable quota): past a few hundred
 * routed tenants, route by a pattern over many tenants or consume the whole bus instead.
 */
export class TenantEventsRule extends events.Rule {
  constructor(scope: Construct, id: string, props: TenantEventsRuleProps) {
    super(scope, id, {
      eventBus: props.eventBus,
      ruleName: props.ruleName,
      description: `SCIM change events of tenant ${props.tenant}`,
      eventPattern: tenantEventPattern(props.tenant, props.types),
      targets: props.targets,
    });
  }
}

/**
 * A pooled table's feed: every tenant's events from one stream handler, `GET /t/{tenant}/events`
 * behind the pooled authorizer, and webhooks configured per tenant at run time (URL and sealed
 * secret in the table, lambdas/store/PoolWebhooks.ts), so no resource is made per tenant.
 */
export interface PooledFeedProps {
  /** The resource `events` goes under: `/t/{tenant}`. */
  readonly eventsParent: apigateway.IResource;
  /** The pooled SCIM routes' method options (the pooled authorizer, the tenant's usage key). */
  readonly methodOptions: apigateway.MethodOptions;
  /** The `tenant` of the feed functions' metrics (the pool's one series, poolMetricsTenant). */
  readonly metricsTenant: string;
  /** Deliver webhooks (tenants set them through the management API). @default true */
  readonly webhooks?: boolean;
}

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
  /**
   * A pooled table (`tenant` is then the pool's name): see {@link PooledFeedProps}.
   * @default - a per-tenant table
   */
  readonly pool?: PooledFeedProps;
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
  /** The webhook signing secret (`whsec_…`), to share with the app (per-tenant stacks). */
  public readonly webhookSecret?: secretsmanager.Secret;
  /**
   * The KMS key sealing a pool's per-tenant webhook secrets in the table: one key for every
   * tenant ($1 a month) instead of a Secrets Manager secret each ($0.40 a month each).
   */
  public readonly webhookKey?: kms.Key;
  /** The webhook delivery function. */
  public readonly webhookFunction?: NodejsFunction;
  /** The feed's alarms by name; the stack wires them to its alarm topic. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** `GET /events` resource on the API. */
  public readonly eventsResource: apigateway.Resource;

  constructor(scope: Construct, id: string, props: ScimChangeFeedProps) {
    super(scope, id);
    const { tenant, table, pool } = props;
    // Queue and alarm names follow `scim-<tenant>-…` (`scim-pool-<pool>-…` in a pool): the ops
    // stack's fleet alarms find every feed's dead-letter queues by it (lib/opsNames.ts).
    const name = (suffix: string) => (pool ? `scim-pool-${tenant}-${suffix}` : `scim-${tenant}-${suffix}`);
    const ownerText = pool ? `pool ${tenant}` : `tenant ${tenant}`;
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
      const role = props.role ?? (ownRole ??= new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `SCIM change feed functions of ${ownerText}` }));
      logGroup.grantWrite(role);
      const f = new NodejsFunction(this, `${pascal}Function`, {
        entry: props.entries?.[fnName] ?? path.join(REPO_ROOT, 'lambdas', 'handlers', ...(pool ? ['pool'] : []), `${fnName}.ts`),
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
        description: `${description} (${ownerText})`,
        environment: { TENANT: pool ? pool.metricsTenant : tenant, ...(pool ? { [METRICS_TENANT_ENV]: pool.metricsTenant } : {}), POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...environment },
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
      // The ops stack's fleet alarm watches every queue with this tag, whatever createAlarms says.
      Tags.of(q).add(FEED_DEAD_LETTER_TAG.key, FEED_DEAD_LETTER_TAG.value);
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
    // In a pool they are in each tenant's key space (`<tenant>#EVENTLOG#…`; tenant names hold no `#`).
    const tenantSpace = pool ? '*#' : '';
    this.streamHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenantSpace}${EVENT_LOG_PREFIX}*`, `${tenantSpace}${AUDIT_LOG_PREFIX}*`] } },
      }),
    );
    // A pool's tenant records (each tenant's schemas: its `returned: never` attributes stay out of
    // its events) and webhook records (whose events are queued): GetItem of the control partitions only.
    const controlReads = () =>
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [POOL_KEYS.tenantPartition('*')] } },
      });
    if (pool) this.streamHandler.addToRolePolicy(controlReads());
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
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenantSpace}${EVENT_LOG_PREFIX}*`] } },
      }),
    );
    this.eventsResource = (pool ? pool.eventsParent : props.api.root).addResource(EVENTS_ROUTE);
    // The API's default method options put the REQUEST authorizer in front; its policy lets only
    // events:read tokens through (in a pool: of the URL's tenant, with the tenant's usage key).
    const getEvents = this.eventsResource.addMethod('GET', new apigateway.LambdaIntegration(this.eventsFunction, { allowTestInvoke: false }), pool?.methodOptions);
    NagSuppressions.addResourceSuppressions(getEvents, [
      { id: 'AwsSolutions-COG4', reason: 'The vendor app authenticates with an events:read bearer token verified by the REQUEST authorizer, like every route of this API; no Cognito user pool.' },
    ]);

    // ---- a pool's webhooks: stream handler → SQS (only tenants with a webhook) → delivery to each
    // tenant's URL with its own secret, both from the table; no resource per tenant.
    if (pool && pool.webhooks !== false) {
      this.webhookKey = new kms.Key(this, 'WebhookKey', {
        description: `Seals the webhook signing secrets of the tenants of ${ownerText} (encryption context: tenant)`,
        enableKeyRotation: true,
      });
      this.webhookDeadLetterQueue = queue('WebhookDeadLetterQueue', name('webhook-dlq'));
      NagSuppressions.addResourceSuppressions(this.webhookDeadLetterQueue, [{ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the webhook queue.' }]);
      this.webhookQueue = queue('WebhookQueue', name('webhook'), {
        visibilityTimeout: Duration.seconds(WEBHOOK_DELIVERY.timeoutSeconds * 6),
        deadLetterQueue: { queue: this.webhookDeadLetterQueue, maxReceiveCount: WEBHOOK_DELIVERY.maxReceiveCount },
      });
      this.streamHandler.addEnvironment('WEBHOOK_QUEUE_URL', this.webhookQueue.queueUrl);
      this.webhookQueue.grantSendMessages(this.streamHandler);
      this.webhookFunction = fn('webhook', Duration.seconds(WEBHOOK_DELIVERY.timeoutSeconds), { TABLE_NAME: table.tableName, WEBHOOK_KEY_ARN: this.webhookKey.keyArn }, 'SCIM webhook delivery per tenant (Standard Webhooks)');
      this.webhookFunction.addToRolePolicy(controlReads());
      this.webhookKey.grantDecrypt(this.webhookFunction);
      this.webhookFunction.addEventSource(new SqsEventSource(this.webhookQueue, { batchSize: 10, reportBatchItemFailures: true }));
      this.webhookQueue.grant(this.webhookFunction, 'sqs:ChangeMessageVisibility');
      dlqAlarm('webhookDeadLetters', this.webhookDeadLetterQueue, 'Webhook deliveries failed every retry: a tenant\'s app missed events (it can catch up with GET /t/<tenant>/events).');
    }

    // ---- webhook: bus rule → SQS (backoff, DLQ) → signed delivery
    if (props.webhookUrl && !pool) {
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
        eventPattern: tenantEventPattern(tenant),
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
