import { Match, Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { POOL_FUNCTION_NAMES, ScimPoolStack, type PoolFunctionName } from '../../lib/ScimPoolStack';
import { FEED_FUNCTION_NAMES, TenantEventsRule, tenantEventPattern, type FeedFunctionName } from '../../lib/ScimChangeFeed';
import { parsePoolConfig, type PoolConfigInput } from '../../lib/poolConfig';
import { STREAM_SETTINGS } from '../../lambdas/feed/streamSettings';
import { WEBHOOK_DELIVERY } from '../../lambdas/feed/webhookDelivery';
import { FIXTURE_ENTRY, testApp } from './synthTenant';

const ENTRIES = Object.fromEntries([...POOL_FUNCTION_NAMES, ...FEED_FUNCTION_NAMES].map((n) => [n, FIXTURE_ENTRY])) as Record<PoolFunctionName | FeedFunctionName, string>;

function synthPool(config: PoolConfigInput = {}) {
  const stack = new ScimPoolStack(testApp(), 'ScimPool-main', { pool: 'main', config: parsePoolConfig(config), functionEntries: ENTRIES });
  return { stack, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource?: unknown; Condition?: unknown };

/** Every statement of the policies attached to the role a function with this description runs as. */
function statementsOfFunction(template: Template, description: RegExp): Statement[] {
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => description.test(f.Properties.Description ?? ''));
  const role = fn?.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

/** The KMS keys sealing webhook secrets (by their description). */
const webhookKeys = (template: Template) => template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('webhook signing secrets') } });

describe('ScimPoolStack change feed', () => {
  const { template } = synthPool();

  it("feeds one stream handler from the pool table's stream: resource items only, partial failures, retries, then a DLQ with an alarm", () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'StreamArn'] },
      BatchSize: STREAM_SETTINGS.batchSize,
      MaximumRetryAttempts: STREAM_SETTINGS.retryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: false,
      FilterCriteria: { Filters: STREAM_SETTINGS.filterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamDeadLetterQueue'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'scim-pool-main-stream-dlq' });
    const topic = { Ref: Match.stringLikeRegexp('AlarmTopic') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-pool-main-stream-dead-letters', AlarmActions: [topic], OKActions: [topic] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-pool-main-stream-iterator-age', MetricName: 'IteratorAge' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-pool-main-webhook-dead-letters', AlarmActions: [topic] });
  });

  it("lets the stream handler write only tenants' event logs and audit trails, and read only the pool's tenant records", () => {
    const statements = statementsOfFunction(template, /table stream to EventBridge/);
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['events:PutEvents', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'sqs:SendMessage']));
    expect(actionsOf(statements).filter((a) => /^dynamodb:(Scan|DeleteItem|UpdateItem|BatchGetItem|PartiQL.*)$/.test(a))).toEqual([]);
    const conditionOf = (action: string) => statements.find((s) => [s.Action].flat().includes(action))?.Condition;
    // The feed's functions share one role; its one Query (the pull API's) reaches event logs only.
    expect(conditionOf('dynamodb:Query')).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*#EVENTLOG#*'] } });
    expect(conditionOf('dynamodb:BatchWriteItem')).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*#EVENTLOG#*', '*#AUDITLOG#*'] } });
    expect(conditionOf('dynamodb:GetItem')).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['_pool#TENANT#*'] } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('table stream to EventBridge'),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: 'default', EVENT_PAYLOAD: 'full', WEBHOOK_QUEUE_URL: { Ref: Match.stringLikeRegexp('WebhookQueue') } }) },
    });
  });

  it('publishes to the default bus by default, or to a bus of the pool with changeFeed.bus "pool"', () => {
    template.resourceCountIs('AWS::Events::EventBus', 0);
    const { template: t } = synthPool({ changeFeed: { bus: 'pool', payload: 'ids', eventLogRetentionDays: 30 } });
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'scim-pool-main-events' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('table stream to EventBridge'),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('Bus') }, EVENT_PAYLOAD: 'ids', EVENT_LOG_RETENTION_DAYS: '30' }) },
    });
  });

  it('serves GET /t/{tenant}/events behind the pooled authorizer and the tenant usage key, reading by Query only event logs', () => {
    const [tenantId] = Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: '{tenant}' } }));
    const [eventsId] = Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'events', ParentId: { Ref: tenantId } } }));
    expect(eventsId).toBeDefined();
    template.hasResourceProperties('AWS::ApiGateway::Method', { ResourceId: { Ref: eventsId }, HttpMethod: 'GET', AuthorizationType: 'CUSTOM', ApiKeyRequired: true, AuthorizerId: { Ref: Match.stringLikeRegexp('Authorizer') } });
    const reads = statementsOfFunction(template, /pull API/).filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    // The feed's functions share one role: the Query statement is the pull API's, scoped to the logs.
    const query = reads.find((s) => [s.Action].flat().includes('dynamodb:Query'));
    expect(query?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*#EVENTLOG#*'] } });
  });

  it('delivers webhooks of every tenant from one queue with a DLQ, secrets sealed by one KMS key: no secret, rule or queue per tenant', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    // One symmetric key seals every tenant's webhook secret (the pool's OAuth signing key is another, asymmetric one).
    expect(Object.keys(webhookKeys(template))).toHaveLength(1);
    expect(Object.values(webhookKeys(template))[0].Properties).toMatchObject({ EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'scim-pool-main-webhook',
      VisibilityTimeout: WEBHOOK_DELIVERY.timeoutSeconds * 6,
      RedrivePolicy: { maxReceiveCount: WEBHOOK_DELIVERY.maxReceiveCount, deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebhookDeadLetterQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebhookQueue'), 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('webhook delivery per tenant'),
      Environment: { Variables: Match.objectLike({ WEBHOOK_KEY_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebhookKey'), 'Arn'] } }) },
    });
    const delivery = actionsOf(statementsOfFunction(template, /webhook delivery per tenant/));
    expect(delivery).toContain('kms:Decrypt');
    expect(delivery).not.toContain('kms:Encrypt');
    // Only the management API seals, and it cannot open: Encrypt only.
    const management = statementsOfFunction(template, /: management$/).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
    expect(actionsOf(management)).toEqual(['kms:Encrypt']);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp(': management$'), Environment: { Variables: Match.objectLike({ WEBHOOK_KEY_ARN: Match.anyValue() }) } });
  });

  it('makes no webhook queue, key or function with changeFeed.webhooks false', () => {
    const { template: t } = synthPool({ changeFeed: { webhooks: false } });
    expect(webhookKeys(t)).toEqual({});
    expect(Object.keys(t.findResources('AWS::SQS::Queue'))).toEqual([expect.stringMatching(/StreamDeadLetterQueue/)]);
    t.resourceCountIs('AWS::Lambda::Function', POOL_FUNCTION_NAMES.length + 2);
  });

  it('outputs the stream, the bus, the events endpoint and the webhook queue', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['TableName', 'TableStreamArn', 'EventBusName', 'EventsEndpoint', 'WebhookQueueName']));
    template.hasOutput('EventBusName', { Value: 'default' });
    expect(JSON.stringify(outputs.EventsEndpoint)).toContain('t/<tenant>/events');
  });
});

describe('TenantEventsRule', () => {
  it("routes one tenant's events, of the given types, from the feed's bus to the vendor's target", () => {
    const stack = new Stack(testApp(), 'Routes');
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'scim-pool-main-events');
    const queue = new sqs.Queue(stack, 'AcmeQueue');
    new TenantEventsRule(stack, 'AcmeDeprovisioning', { eventBus: bus, tenant: 'acme', types: ['user.deactivated', 'user.deleted'], targets: [new targets.SqsQueue(queue)] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'scim-pool-main-events',
      EventPattern: { source: ['serverless-scim'], 'detail-type': ['user.deactivated', 'user.deleted'], detail: { tenant: ['acme'] } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AcmeQueue'), 'Arn'] } })],
    });
  });

  it('matches every type when none is given', () => {
    expect(tenantEventPattern('acme')).toEqual({ source: ['serverless-scim'], detail: { tenant: ['acme'] } });
  });
});
