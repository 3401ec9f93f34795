import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../lambdas/contracts/metricNames';
import { parseTenantConfig } from '../../lib/tenantConfig';
import { synthTenant } from './synthTenant';
import { STORE_ACTIONS } from '../../lib/ScimFunctions';
import { AWS_LIMITS } from '../../lambdas/local/localLimits';
import { FUNCTION_NAMES } from '../../lambdas/contracts/awsLimits';
import { MAINTENANCE_INTERVAL_MS } from '../../lambdas/handlers/maintenance';
import { maintenanceScheduleExpression } from '../../lambdas/contracts/schedules';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Logical id of the function whose description names `name`. */
function functionId(template: Template, name: string): string {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(`^SCIM ${name} `) } });
  const ids = Object.keys(fns);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The statements of every IAM policy attached to the function's role. */
function statementsOf(template: Template, fnId: string): Array<Record<string, unknown>> {
  const fn = template.toJSON().Resources[fnId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId),
  );
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('ScimFunctions', () => {
  let template: Template;
  let resources: Resources;
  beforeAll(() => {
    ({ template } = synthTenant('acme', { pagination: { defaultPageSize: 50, maxPageSize: 200 } }));
    resources = template.toJSON().Resources;
  });

  it('creates eight nodejs22.x arm64 functions (six SCIM, two of the change feed) that do not load source maps at init', () => {
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] }, 8);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.absent() }) },
    });
  });

  it('loads source maps at init on every function when the tenant turns sourceMaps on', () => {
    const { template: withMaps } = synthTenant('acme', { sourceMaps: true });
    withMaps.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('deploys each function with the timeout and memory the local server enforces', () => {
    for (const name of FUNCTION_NAMES) {
      const fn = resources[functionId(template, name)];
      expect((fn.Properties.Timeout as number) * 1000).toBe(AWS_LIMITS.functionTimeoutMs[name]);
      expect(fn.Properties.MemorySize).toBe(AWS_LIMITS.functionMemoryMb[name]);
    }
    // Behind API Gateway, every function must time out before the gateway's 29 s.
    for (const name of ['users', 'groups', 'discovery', 'bulk'] as const) expect(AWS_LIMITS.functionTimeoutMs[name]).toBeLessThan(AWS_LIMITS.integrationTimeoutMs);
  });

  it('sizes the bulk function from the tenant setting bulkMemoryMb', () => {
    const { template: small } = synthTenant('acme', { bulkMemoryMb: 3008 });
    const fns = small.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^SCIM bulk ') } });
    expect(Object.values(fns)[0].Properties.MemorySize).toBe(3008);
  });

  it('reserves concurrency for bulk only by default, as the local server enforces it', () => {
    const reserved = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, resources[functionId(template, n)].Properties.ReservedConcurrentExecutions]));
    expect(reserved).toEqual({ authorizer: undefined, users: undefined, groups: undefined, discovery: undefined, bulk: 2, maintenance: undefined });
    expect(AWS_LIMITS.functionConcurrency).toEqual({ bulk: 2 });
  });

  it('takes reserved concurrency per function from the tenant config, null leaving a function unreserved', () => {
    const { template: t } = synthTenant('acme', { reservedConcurrency: { users: 20, groups: 10, bulk: null } });
    const r = t.toJSON().Resources;
    expect(r[functionId(t, 'users')].Properties.ReservedConcurrentExecutions).toBe(20);
    expect(r[functionId(t, 'groups')].Properties.ReservedConcurrentExecutions).toBe(10);
    expect(r[functionId(t, 'bulk')].Properties.ReservedConcurrentExecutions).toBeUndefined();
    // Zero would disable the function: refused, like a name that is no function of ours.
    expect(() => parseTenantConfig({ reservedConcurrency: { bulk: 0 } })).toThrow();
    expect(() => parseTenantConfig({ reservedConcurrency: { stream: 5 } })).toThrow();
  });

  it('gives every function TENANT and the Powertools service name and metrics namespace', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TENANT: 'acme', POWERTOOLS_SERVICE_NAME: 'serverless-scim', POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE }),
      },
    });
  });

  it('gives the authorizer SECRET_ARN and no TABLE_NAME', () => {
    const env = (resources[functionId(template, 'authorizer')].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^Secret/) });
    expect(env.TABLE_NAME).toBeUndefined();
    expect(env.SCIM_CONFIG).toBeUndefined();
  });

  it.each(['users', 'groups', 'bulk'])('gives %s TABLE_NAME and SCIM_CONFIG, and no SECRET_ARN', (name) => {
    const env = (resources[functionId(template, name)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^Table/) });
    expect(JSON.parse(env.SCIM_CONFIG as string)).toMatchObject({ customExtensions: [], defaultPageSize: 50, maxPageSize: 200 });
    expect(env.SECRET_ARN).toBeUndefined();
  });

  it("gives discovery SCIM_CONFIG but neither the secret nor any item outside the change feed's partitions", () => {
    const id = functionId(template, 'discovery');
    const env = (resources[id].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.SCIM_CONFIG).toBeTypeOf('string');
    expect(env.TABLE_NAME).toBeUndefined();
    expect(env.SECRET_ARN).toBeUndefined();
    // The role is shared with the change feed's functions (lib/ScimChangeFeed.ts): its table grants are
    // stream reads and, on the table itself, only the event log's and audit trail's partitions.
    for (const s of statementsOf(template, id) as Array<{ Action: unknown; Resource: unknown; Condition?: unknown }>) {
      const actions = [s.Action].flat().map(String);
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
      const tableActions = actions.filter((a) => a.startsWith('dynamodb:') && !/^dynamodb:(ListStreams|DescribeStream|GetRecords|GetShardIterator)$/.test(a));
      if (tableActions.length > 0) expect(JSON.stringify(s.Condition)).toMatch(/"dynamodb:LeadingKeys":\["EVENTLOG#\*"(,"AUDITLOG#\*")?\]/);
    }
  });

  it('lets the authorizer read only the tenant secret', () => {
    const statements = statementsOf(template, functionId(template, 'authorizer')).filter((s) =>
      [s.Action].flat().some((a) => String(a).startsWith('secretsmanager:')),
    );
    expect(statements).toHaveLength(1);
    expect([statements[0].Action].flat().sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statements[0].Resource).toEqual({ Ref: expect.stringMatching(/^Secret/) });
    const all = statementsOf(template, functionId(template, 'authorizer')).flatMap((s) => [s.Action].flat());
    expect(all.some((a) => String(a).startsWith('dynamodb:'))).toBe(false);
  });

  it.each(['users', 'groups', 'bulk'])('lets %s use only the tenant table and its indexes', (name) => {
    const statements = statementsOf(template, functionId(template, name));
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    for (const s of dynamo) {
      expect(s.Resource).toEqual([
        { 'Fn::GetAtt': [tableId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
      ]);
    }
    expect([dynamo[0].Action].flat()).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']));
    expect(statements.some((s) => [s.Action].flat().some((a) => String(a).startsWith('secretsmanager:')))).toBe(false);
  });

  it.each(['users', 'groups', 'bulk', 'maintenance'])('gives the %s function exactly the store\'s DynamoDB actions: no Scan, no stream reads', (name) => {
    // Act
    const actions = statementsOf(template, functionId(template, name)).flatMap((s) => [s.Action].flat() as string[]).filter((a) => a.startsWith('dynamodb:'));
    // Assess
    expect([...new Set(actions)].sort()).toEqual([...STORE_ACTIONS].sort());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.some((a) => /GetRecords|GetShardIterator|DescribeStream|ListStreams/.test(a))).toBe(false);
  });

  it('never grants dynamodb or secretsmanager actions on *', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>) {
        // dynamodb:ListStreams supports no resource-level permission (the stream event source mapping needs it).
        const scoped = [s.Action].flat().some((a) => /^(dynamodb|secretsmanager):/.test(a) && a !== 'dynamodb:ListStreams');
        if (scoped) expect([s.Resource].flat()).not.toContain('*');
      }
    }
  });

  it('runs six functions on three roles: the authorizer, the table functions, discovery', () => {
    template.resourceCountIs('AWS::IAM::Role', 3);
    const role = (name: string): unknown => (resources[functionId(template, name)].Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    expect(new Set(['users', 'groups', 'bulk', 'maintenance'].map(role)).size).toBe(1);
    expect(new Set(['authorizer', 'users', 'discovery'].map(role)).size).toBe(3);
  });

  it('uses no AWS managed policy: each role writes only to the log groups of its functions', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.resourceCountIs('AWS::Logs::LogGroup', 9); // six functions + two of the change feed + access logs
    template.allResourcesProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.anyValue() }, LogFormat: 'JSON' } });
  });

  it('runs the maintenance function every 5 minutes with table access and no SCIM config', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId(template, 'maintenance'), 'Arn'] },
        // The ops stack's one scheduler role, by its fixed name: no role per tenant.
        RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/scim-ops-scheduler-', { Ref: 'AWS::Region' }]] },
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'scim-acme-maintenance' });
    const env = (resources[functionId(template, 'maintenance')].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^Table/) });
    expect(env.SECRET_ARN).toBeUndefined();
  });

  it('schedules maintenance on the interval npm start runs it on', () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedule.Properties.ScheduleExpression).toBe(`rate(${MAINTENANCE_INTERVAL_MS / 60_000} minutes)`);
  });

  it('writes a one-minute schedule in the singular EventBridge Scheduler requires', () => {
    expect(maintenanceScheduleExpression(1)).toBe('rate(1 minute)');
    expect(maintenanceScheduleExpression(15)).toBe('rate(15 minutes)');
  });

  it('sets the log retention from config', () => {
    const { template: t } = synthTenant('acme', { logRetentionDays: 30 });
    t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('enables active tracing when tracing is on', () => {
    const { template: t } = synthTenant('acme', { tracing: true });
    t.allResourcesProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
  });

  it('refuses a SCIM config too large for Lambda environment variables', () => {
    const attributes = Array.from({ length: 60 }, (_, i) => ({ name: `attribute${i}`, type: 'string', description: 'x'.repeat(60) }));
    const config = { customExtensions: [{ resourceType: 'User', schema: { id: 'urn:acme:params:scim:schemas:extension:Big:2.0:User', name: 'Big', attributes } }] };
    expect(() => parseTenantConfig(config)).not.toThrow();
    expect(() => synthTenant('acme', config as never)).toThrow(/Lambda environment variables/);
  });
});
