import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../lambdas/contracts/metricNames';
import { parseOpsConfig } from '../../lib/opsConfig';
import { FEED_DEAD_LETTER_TAG, OPS_NAMES } from '../../lib/opsNames';
import { feedDeadLettersQuery, ScimOpsStack, topTenantsQuery } from '../../lib/ScimOpsStack';
import { POOL_FUNCTION_NAMES, ScimPoolStack } from '../../lib/ScimPoolStack';
import { FEED_FUNCTION_NAMES } from '../../lib/ScimChangeFeed';
import { FIXTURE_ENTRY, synthTenant, testApp } from './synthTenant';
import { nagFindings } from './nagFindings';

function synthOps(config: unknown = {}): { stack: ScimOpsStack; template: Template } {
  const stack = new ScimOpsStack(testApp(), 'ScimOps', { config: parseOpsConfig(config) });
  return { stack, template: Template.fromStack(stack) };
}

/** The dashboard body with tokens replaced by "TOKEN". */
function dashboardBody(template: Template): string {
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
  const body = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  return typeof body === 'string' ? body : body['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
}

describe('ScimOpsStack', () => {
  const { stack, template } = synthOps();

  it('is named ScimOps and holds one alarm topic with a fixed name and TLS enforced', () => {
    expect(stack.stackName).toBe('ScimOps');
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'scim-ops-alarms' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('encrypts the alarm topic with a rotated key of its own that CloudWatch alarms may use', () => {
    // Prepare: CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'scim-ops-alarms', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: OPS_NAMES.alarmKeyAlias, TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  it('lets WAF deliver logs to every SCIM web ACL log group with one resource policy of its account', () => {
    const policy = Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0];
    expect(policy.Properties.PolicyName).toBe(OPS_NAMES.wafLogsPolicy);
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('delivery.logs.amazonaws.com');
    expect(text).toContain(':log-group:aws-waf-logs-scim-*:log-stream:*');
    expect(text).toContain('aws:SourceAccount');
  });

  it('logs what the shared web ACL blocks to aws-waf-logs-scim-fleet, token and query string redacted', () => {
    const { template: t } = synthOps({ waf: { enabled: true } });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-scim-fleet' });
    t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }],
      LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
    });
    synthOps({ waf: { enabled: true, logging: 'all' } }).template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { LoggingFilter: Match.absent() });
  });

  it('subscribes the configured email to the shared topic', () => {
    synthOps({ alarmEmail: 'scim-oncall@acme-corp.io' }).template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'scim-oncall@acme-corp.io' });
  });

  it('has a fleet dashboard ranking tenants by errors, throttles, denials and API latency', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: OPS_NAMES.fleetDashboard });
    const body = dashboardBody(template);
    for (const metric of [METRIC.serverErrors, METRIC.clientErrors, METRIC.throttles, METRIC.authorizerDeny]) {
      expect(body).toContain(JSON.stringify(topTenantsQuery(metric)).slice(1, -1));
    }
    expect(topTenantsQuery(METRIC.serverErrors)).toBe('SELECT SUM(ServerErrors) FROM SCHEMA(ServerlessScim, tenant) GROUP BY tenant ORDER BY SUM() DESC LIMIT 10');
    expect(body).toMatch(/SELECT MAX\(Latency\) FROM SCHEMA\(\\"AWS\/ApiGateway\\", ApiName\) GROUP BY ApiName/);
  });

  it('alarms on the worst tenant with Metrics Insights queries, notifying the shared topic', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const insights = Object.values(alarms).filter((a) => a.Properties.Metrics);
    expect(insights.map((a) => a.Properties.AlarmName).sort()).toEqual(
      ['authorizerDenials', 'authorizerFailures', 'feedDeadLetters', 'serverErrors', 'throttles'].map((k) => `scim-fleet-${k}`),
    );
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    for (const a of Object.values(alarms)) {
      expect(a.Properties.AlarmActions).toEqual([topicRef]);
      expect(a.Properties.OKActions).toEqual([topicRef]);
      expect(a.Properties.TreatMissingData).toBe('notBreaching');
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-fleet-authorizerFailures',
      Metrics: [{ Id: 'worst', Expression: 'SELECT MAX(AuthorizerFailures) FROM SCHEMA(ServerlessScim, tenant)', Period: 300, ReturnData: true }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-fleet-lambdaThrottles', Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: Match.absent() });
  });

  it("watches every change feed's dead-letter queues with one alarm over AWS/SQS, selected by the tag every tenant stack and pool puts on them", () => {
    // Arrange: a silo tenant without alarms of its own, one with a webhook, and a pool.
    const tenant = synthTenant('acme', { changeFeed: { webhookUrl: 'https://hooks.vendor-corp.io/scim' } }).template;
    const pool = Template.fromStack(new ScimPoolStack(testApp(), 'ScimPool-main', { pool: 'main', functionEntries: Object.fromEntries([...POOL_FUNCTION_NAMES, ...FEED_FUNCTION_NAMES].map((n) => [n, FIXTURE_ENTRY])) }));
    // Act
    const tagged = (t: Template) =>
      Object.values(t.findResources('AWS::SQS::Queue'))
        .filter((q) => (q.Properties.Tags as { Key: string; Value: string }[] | undefined)?.some((tag) => tag.Key === FEED_DEAD_LETTER_TAG.key && tag.Value === FEED_DEAD_LETTER_TAG.value))
        .map((q) => q.Properties.QueueName as string)
        .sort();
    // Assert
    expect(tagged(tenant)).toEqual(['scim-acme-stream-dlq', 'scim-acme-webhook-dlq']);
    expect(tagged(pool)).toEqual(['scim-pool-main-stream-dlq', 'scim-pool-main-webhook-dlq']);
    // The queues that are not dead-letter queues stay out: a webhook backlog is no dead letter.
    expect(Object.values(tenant.findResources('AWS::SQS::Queue')).filter((q) => q.Properties.QueueName === 'scim-acme-webhook')[0].Properties.Tags ?? []).not.toContainEqual(
      expect.objectContaining({ Key: FEED_DEAD_LETTER_TAG.key }),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-fleet-feedDeadLetters',
      Metrics: [{ Id: 'deadLetters', Expression: `SELECT MAX(ApproximateNumberOfMessagesVisible) FROM SCHEMA("AWS/SQS", QueueName) WHERE tag.ScimFeedQueue = 'dead-letter'`, Period: 300, ReturnData: true }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    expect(feedDeadLettersQuery(' GROUP BY QueueName')).toMatch(/WHERE tag\.ScimFeedQueue = 'dead-letter' GROUP BY QueueName$/);
  });

  it("shows each configured pool's top tenants per signal from the pool's own Contributor Insights rules, and no per-tenant metric", () => {
    // Prepare
    const pool = Template.fromStack(new ScimPoolStack(testApp(), 'ScimPool-main', { pool: 'main', functionEntries: Object.fromEntries([...POOL_FUNCTION_NAMES, ...FEED_FUNCTION_NAMES].map((n) => [n, FIXTURE_ENTRY])) }));
    const poolRules = Object.values(pool.findResources('AWS::CloudWatch::InsightRule')).map((r) => r.Properties.RuleName as string);
    // Act
    const withPools = JSON.parse(dashboardBody(synthOps({ pools: ['main', 'eu-2'] }).template)) as { widgets: { type: string; properties: { insightRule?: { ruleName: string; maxContributorCount: number }; markdown?: string } }[] };
    const without = dashboardBody(template);
    // Assess
    const rulesShown = withPools.widgets.flatMap((w) => (w.properties.insightRule ? [w.properties.insightRule.ruleName] : []));
    expect(rulesShown.filter((r) => r.startsWith('scim-pool-main-')).sort()).toEqual([...poolRules].sort());
    expect(rulesShown.filter((r) => r.startsWith('scim-pool-eu-2-'))).toHaveLength(4);
    expect(withPools.widgets.filter((w) => w.properties.insightRule).every((w) => w.type === 'metric' && w.properties.insightRule!.maxContributorCount === 10)).toBe(true);
    expect(withPools.widgets.some((w) => w.properties.markdown?.includes('Pool `eu-2`'))).toBe(true);
    expect(without).not.toContain('insightRule');
    // The pooled tenants are never a metric dimension: no query names one.
    expect(JSON.stringify(withPools)).not.toMatch(/tenant\s*=\s*'/);
  });

  it('refuses a pool name that could not be a pool', () => {
    expect(() => parseOpsConfig({ pools: ['Not_A_Pool'] })).toThrow(/pool name/);
  });

  it('takes the fleet alarm thresholds from the ops config', () => {
    const { template: t } = synthOps({ fleetAlarms: { serverErrors: 50, authorizerDenials: 200 } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-fleet-serverErrors', Threshold: 50 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-fleet-authorizerDenials', Threshold: 200 });
  });

  it('owns the one scheduler role, which may invoke only scim-*-maintenance functions of its account', () => {
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['scim-ops-scheduler-', { Ref: 'AWS::Region' }]] },
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:scim-*-maintenance']] },
          },
        ],
      },
    });
  });

  it('creates no web ACL unless asked, and then publishes its ARN in SSM for the tenants', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    const { template: t } = synthOps({ waf: { enabled: true, allowedCidrs: ['20.40.0.0/16'] } });
    t.resourceCountIs('AWS::WAFv2::WebACL', 1);
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const aclId = Object.keys(t.findResources('AWS::WAFv2::WebACL'))[0];
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: OPS_NAMES.webAclArnParameter, Value: { 'Fn::GetAtt': [aclId, 'Arn'] } });
  });

  it('exports nothing: tenant stacks find everything by name', () => {
    for (const output of Object.values(template.toJSON().Outputs ?? {}) as Array<{ Export?: unknown }>) expect(output.Export).toBeUndefined();
  });

  it('passes cdk-nag AwsSolutions, with and without the web ACL', () => {
    for (const config of [{}, { waf: { enabled: true, allowedCidrs: ['20.40.0.0/16', '2603:1000::/24'] }, alarmEmail: 'oncall@acme-corp.io' }]) {
      const { stack: s } = synthOps(config);
      expect(nagFindings(s)).toEqual([]);
    }
  });
});
