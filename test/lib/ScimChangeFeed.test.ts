import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScimTenantStack } from '../../lib/ScimTenantStack';
import { describe, expect, it } from 'vitest';
import { STREAM_SETTINGS } from '../../lambdas/feed/streamSettings';
import { WEBHOOK_DELIVERY } from '../../lambdas/feed/webhookDelivery';
import { FIXTURE_ENTRIES, synthTenant, testApp } from './synthTenant';

const withWebhook = { tenantAlarms: true, changeFeed: { bus: 'tenant' as const, webhookUrl: 'https://hooks.vendor.example.net/scim' } };

describe('ScimChangeFeed', () => {
  const { template } = synthTenant('acme');

  it('feeds the stream handler from the table stream: resource items only, partial failures, retries, then a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_SETTINGS.batchSize,
      MaximumRetryAttempts: STREAM_SETTINGS.retryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: false,
      FilterCriteria: { Filters: STREAM_SETTINGS.filterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('StreamDeadLetterQueue'), 'Arn'] } } },
    });
  });

  it('publishes to the default bus by default, and lets the handler write the event log and audit trail but not read the table', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: 'default', EVENT_PAYLOAD: 'full', EVENT_LOG_RETENTION_DAYS: '7', TENANT: 'acme' }) },
    });
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('DiscoveryRole') } });
    const actions = JSON.stringify(Object.values(policies).map((p) => p.Properties.PolicyDocument.Statement));
    expect(actions).toContain('events:PutEvents');
    expect(actions).toContain('dynamodb:BatchWriteItem');
    expect(actions).not.toMatch(/dynamodb:(Scan|GetItem|DeleteItem|UpdateItem)"/);
    // Only the event log's and the audit trail's partitions: the stream role can write no resource item.
    expect(actions).toContain('"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["EVENTLOG#*","AUDITLOG#*"]}');
  });

  it("serves GET /events behind the API authorizer, reading by Query only the event log's partitions", () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'events' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'CUSTOM', ResourceId: { Ref: Match.stringLikeRegexp('ChangeFeed|events') } });
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('DiscoveryRole') } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]);
    const reads = statements.filter((s) => [s.Action].flat().some((a) => /^dynamodb:(Query|GetItem|BatchGetItem|Scan)$/.test(a)));
    expect(reads.flatMap((s) => [s.Action].flat())).toEqual(['dynamodb:Query']);
    expect(reads[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENTLOG#*'] } });
  });

  it("alarms on stream dead letters and on the stream lagging with tenant alarms on, into the ops stack's shared topic", () => {
    const { template: t } = synthTenant('acme', { tenantAlarms: true });
    const opsTopic = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':scim-ops-alarms']] };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-acme-stream-dead-letters', Threshold: 0, AlarmActions: [opsTopic], OKActions: [opsTopic] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-acme-stream-iterator-age', MetricName: 'IteratorAge' });
  });

  it("runs on the discovery function's role, adding no role to the tenant, with grants that reach only the feed's partitions", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: { Role?: { 'Fn::GetAtt': string[] }; Description?: string } }>;
    const roleOf = (description: RegExp) => Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && description.test(r.Properties.Description ?? ''))?.Properties.Role?.['Fn::GetAtt'][0];
    expect(roleOf(/change feed: table stream/)).toBe(roleOf(/^SCIM discovery /));
    expect(roleOf(/GET \/events/)).toBe(roleOf(/change feed: table stream/));
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('"dynamodb:LeadingKeys":["EVENTLOG#*"]');
  });

  it('outputs the table, its stream, the bus and the events endpoint, and no webhook without one', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['TableName', 'TableStreamArn', 'EventBusName', 'EventsEndpoint']));
    expect(outputs.WebhookSecretArn).toBeUndefined();
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  it('with a webhook: a tenant bus, a rule to an SQS queue with a DLQ, a generated secret, signed delivery and an alarm', () => {
    const { template: t } = synthTenant('acme', withWebhook);
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'scim-acme-events' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['serverless-scim'], detail: { tenant: ['acme'] } },
      Targets: [Match.objectLike({ InputPath: '$.detail', DeadLetterConfig: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'scim-acme-webhook',
      RedrivePolicy: { maxReceiveCount: WEBHOOK_DELIVERY.maxReceiveCount, deadLetterTargetArn: Match.anyValue() },
      VisibilityTimeout: WEBHOOK_DELIVERY.timeoutSeconds * 6,
    });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'scim/acme/webhook', GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }) });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ WEBHOOK_URL: 'https://hooks.vendor.example.net/scim' }) } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-acme-webhook-dead-letters' });
    expect(Object.keys(t.findOutputs('*'))).toContain('WebhookSecretArn');
  });

  it('grants an app role reads by key only: no Scan, no writes, table and indexes', () => {
    // Prepare
    const stack = new ScimTenantStack(testApp(), 'Scim-globex', { tenant: 'globex', functionEntries: FIXTURE_ENTRIES });
    const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.AccountRootPrincipal() });
    // Act
    stack.table.grantAppRead(role);
    // Assess
    const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('AppRole') } });
    const [statement] = Object.values(statements).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect([statement.Action].flat().sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(JSON.stringify(statement.Resource)).toContain('/index/*');
  });

  it('refuses a webhook URL that is not HTTPS', () => {
    expect(() => synthTenant('acme', { changeFeed: { webhookUrl: 'http://hooks.vendor.example.net/scim' } })).toThrow(/webhookUrl/);
  });
});
