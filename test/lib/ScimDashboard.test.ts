import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '../../lambdas/contracts/metricNames';
import { synthTenant } from './synthTenant';

/** An alarm's metric given as a labelled MetricStat (how CDK renders metrics with a label). */
function customMetric(metricName: string, period: number): object {
  return Match.arrayWith([
    Match.objectLike({
      MetricStat: {
        Metric: { Namespace: METRICS_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: 'tenant', Value: 'acme' }] },
        Period: period,
        Stat: 'Sum',
      },
    }),
  ]);
}

describe('ScimDashboard', () => {
  let template: Template;
  let dashboardBody: string;
  let widgets: Array<{ type: string; properties: { title?: string; markdown?: string; metrics?: unknown[] } }>;
  beforeAll(() => {
    // The tenant's own dashboard and alarms are opt-in (the ops stack watches the fleet by default).
    ({ template } = synthTenant('acme', { noProvisioningAlarmHours: 6, dashboard: true, tenantAlarms: true }));
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    // The body is an Fn::Join of literal JSON and tokens (region, ARNs): tokens become "TOKEN".
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    widgets = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')).widgets;
    dashboardBody = JSON.stringify(widgets);
  });

  it('creates a tenant-named dashboard', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'scim-acme' });
  });

  it('explains each row with a text widget', () => {
    for (const heading of ['SCIM tenant', 'SCIM operations and authorizer', 'Lambda functions', 'DynamoDB table', 'Provisioning']) {
      expect(dashboardBody).toContain(heading);
    }
    expect(widgets.filter((w) => w.type === 'text').length).toBeGreaterThanOrEqual(6);
  });

  it('graphs API requests, 4xx/5xx rates and latency percentiles', () => {
    for (const s of ['"Count"', '4XXError', '5XXError', '"Latency"', '"IntegrationLatency"', 'p50', 'p90', 'p99']) {
      expect(dashboardBody).toContain(s);
    }
  });

  it('graphs Lambda errors, throttles, duration and concurrency per function', () => {
    for (const m of ['Errors', 'Throttles', 'Duration', 'ConcurrentExecutions']) {
      const lambdaLines = widgets.flatMap((w) => w.properties.metrics ?? []).filter((l) => Array.isArray(l) && l[0] === 'AWS/Lambda' && l[1] === m);
      expect(lambdaLines, m).toHaveLength(6);
    }
  });

  it('graphs DynamoDB consumed capacity, throttled requests and system errors', () => {
    for (const m of ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits', 'ThrottledRequests', 'SystemErrors']) expect(dashboardBody).toContain(m);
  });

  it('graphs every custom metric of metricNames under the tenant dimension', () => {
    expect(dashboardBody).toContain(METRICS_NAMESPACE);
    const lines = widgets.flatMap((w) => w.properties.metrics ?? []).filter((l) => Array.isArray(l) && l[0] === METRICS_NAMESPACE) as string[][];
    // Errors is the one metric emitted only by [tenant, status, scimType]: graphed by SEARCH below.
    for (const name of Object.values(METRIC).filter((n) => n !== METRIC.errors)) {
      expect(lines.some((l) => l[1] === name && l[2] === 'tenant' && l[3] === 'acme'), name).toBe(true);
    }
  });

  it('graphs errors by HTTP status and scimType with a SEARCH on [tenant, status, scimType]', () => {
    const widget = widgets.find((w) => w.properties.title === 'Errors by status and scimType');
    expect(JSON.stringify(widget?.properties.metrics)).toContain(
      JSON.stringify(`SEARCH('{${METRICS_NAMESPACE},tenant,status,scimType} MetricName="${METRIC.errors}" tenant="acme"', 'Sum', 300)`),
    );
  });

  it('splits requests and errors by operation with a SEARCH on [tenant, operation]', () => {
    const widget = widgets.find((w) => w.properties.title === `${METRIC.serverErrors} by operation`);
    expect(JSON.stringify(widget?.properties.metrics)).toContain(
      JSON.stringify(`SEARCH('{${METRICS_NAMESPACE},tenant,operation} MetricName="${METRIC.serverErrors}" tenant="acme"', 'Sum', 300)`),
    );
  });

  it("sends every alarm but the no-provisioning halves to the ops stack's shared topic by its fixed ARN, on ALARM and on OK", () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    const alarms = Object.values({ ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') });
    const halves = ['scim-acme-no-successful-calls', 'scim-acme-recently-active'];
    // 5xx, errors of 5 functions, throttles of 6, DynamoDB, authorizer denials and failures, no-provisioning,
    // and the change feed's stream dead letters and iterator age (lib/ScimChangeFeed.ts)
    expect(alarms.filter((a) => !halves.includes(a.Properties.AlarmName)).length).toBe(18);
    const opsTopic = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':scim-ops-alarms']] };
    for (const a of alarms) {
      if (halves.includes(a.Properties.AlarmName)) {
        expect(a.Properties.AlarmActions).toBeUndefined();
        continue;
      }
      expect(a.Properties.AlarmActions).toEqual([opsTopic]);
      expect(a.Properties.OKActions).toEqual([opsTopic]);
    }
  });

  it('gives the alarms a topic of the tenant own when alarmEmail is set', () => {
    const { template: t } = synthTenant('acme', { alarmEmail: 'ops@acme-corp.io' });
    const topicId = Object.keys(t.findResources('AWS::SNS::Topic'))[0];
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(14);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('creates neither a dashboard nor alarms with the default configuration', () => {
    const { template: t } = synthTenant('acme');
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('alarms on the API 5xx rate', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-api-5xx-rate',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('100 \\* serverErrors / requests') })]),
    });
  });

  it.each(['users', 'groups', 'discovery', 'bulk', 'maintenance'])('alarms on errors and throttles of the %s function', (fn) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `scim-acme-${fn}-errors`, MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `scim-acme-${fn}-throttles`, MetricName: 'Throttles', Namespace: 'AWS/Lambda' });
  });

  it('never alarms on the authorizer\'s Lambda Errors, which count every 401 it must throw', () => {
    expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'scim-acme-authorizer-errors' } })).toEqual({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-acme-authorizer-throttles', MetricName: 'Throttles' });
  });

  it('alarms on real authorizer failures, from the metric only failures count', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-authorizer-failures',
      Metrics: customMetric(METRIC.authorizerFailures, 300),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
  });

  it('alarms on DynamoDB throttling', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-dynamodb-throttling',
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ThrottledRequests' }) }) })]),
    });
  });

  it('alarms on a spike of authorizer denials', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-authorizer-denials',
      Metrics: customMetric(METRIC.authorizerDeny, 300),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 20,
    });
  });

  it('alarms when a recently active tenant made no successful call for N hours (a composite of two halves)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-no-successful-calls',
      Metrics: customMetric(METRIC.successfulRequests, 3600),
      EvaluationPeriods: 6,
      DatapointsToAlarm: 6,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'scim-acme-recently-active',
      Metrics: customMetric(METRIC.successfulRequests, 3600),
      EvaluationPeriods: 168,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composite).toHaveLength(1);
    expect(composite[0].Properties.AlarmName).toBe('scim-acme-no-provisioning');
    // A new tenant: "no calls" is in ALARM at once, "recently active" is OK (no data is not breaching), so the AND is OK.
    const rule = JSON.stringify(composite[0].Properties.AlarmRule);
    expect(rule).toMatch(/ALARM\(.*NoSuccessfulCalls.*\) AND ALARM\(.*RecentlyActive.*\)/);
  });

  it('has no no-provisioning alarm for a tenant that did not opt in', () => {
    const { template: t } = synthTenant('acme');
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    expect(t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'scim-acme-no-successful-calls' } })).toEqual({});
  });

  it('has no email subscription unless alarmEmail is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it("encrypts a tenant's own alarm topic with the ops stack's key, found by alias", () => {
    const { template: t } = synthTenant('acme', { alarmEmail: 'ops@acme-corp.io' });
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alias/scim-ops-alarms']] },
    });
    // No key per tenant: $1 a month each for alarm names and thresholds.
    t.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('subscribes alarmEmail to the topic', () => {
    const { template: t } = synthTenant('acme', { alarmEmail: 'ops@acme-corp.io' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme-corp.io' });
  });

  it('enforces TLS on the alarm topic', () => {
    const { template: t } = synthTenant('acme', { alarmEmail: 'ops@acme-corp.io' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});
