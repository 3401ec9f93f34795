import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { POOL_FUNCTION_NAMES, poolMetricsTenant, ScimPoolStack, type PoolFunctionName } from '../../lib/ScimPoolStack';
import { parsePoolConfig, type PoolConfigInput } from '../../lib/poolConfig';
import { POOL_TENANT_LIMITS, POOL_TOKEN_ROUTE_LIMITS } from '../../lambdas/contracts/poolLimits';
import { METRICS_TENANT_ENV } from '../../lambdas/contracts/metricNames';
import { FIXTURE_ENTRY, testApp } from './synthTenant';
import { FEED_FUNCTION_NAMES, type FeedFunctionName } from '../../lib/ScimChangeFeed';
import { nagFindings } from './nagFindings';

const ENTRIES = Object.fromEntries([...POOL_FUNCTION_NAMES, ...FEED_FUNCTION_NAMES].map((n) => [n, FIXTURE_ENTRY])) as Record<PoolFunctionName | FeedFunctionName, string>;

function synthPool(config: PoolConfigInput = {}, pool = 'main') {
  const stack = new ScimPoolStack(testApp(), `ScimPool-${pool}`, { pool, config: parsePoolConfig(config), functionEntries: ENTRIES });
  return { stack, template: Template.fromStack(stack) };
}

/** Logical id of the API Gateway resource with this path part under a parent whose id matches. */
function resourceIdOf(template: Template, part: string): string {
  const [id] = Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: part } }));
  if (!id) throw new Error(`no resource ${part}`);
  return id;
}

describe('ScimPoolStack', () => {
  const { stack, template } = synthPool();

  it('is one stack of one table, one API and one set of functions whatever the number of tenants', () => {
    expect(stack.stackName).toBe('ScimPool-main');
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    // The change feed's three (stream handler, GET /events, webhook delivery) serve every tenant too.
    template.resourceCountIs('AWS::Lambda::Function', POOL_FUNCTION_NAMES.length + FEED_FUNCTION_NAMES.length);
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'scim-pool-main', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('sizes the bulk function like a silo tenant, with one libuv thread per vCPU, and reserves no concurrency for any tenant', () => {
    const bulk = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('bulk$') } }))[0];
    expect(bulk.Properties.MemorySize).toBe(8_845);
    expect(bulk.Properties.Environment.Variables.UV_THREADPOOL_SIZE).toBe('5');
    template.allResourcesProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  it('serves SCIM under /t/{tenant}/scim/v2 behind the pooled authorizer, each method requiring the tenant usage key', () => {
    const tenantId = resourceIdOf(template, '{tenant}');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'scim', ParentId: { Ref: tenantId } });
    const users = resourceIdOf(template, 'Users');
    template.hasResourceProperties('AWS::ApiGateway::Method', { ResourceId: { Ref: users }, HttpMethod: 'ANY', AuthorizationType: 'CUSTOM', ApiKeyRequired: true });
    // Every SCIM method: custom auth and the usage key; the management route is IAM, the token route open.
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as { AuthorizationType: string; ApiKeyRequired?: boolean });
    expect(methods.filter((m) => m.AuthorizationType === 'CUSTOM').every((m) => m.ApiKeyRequired === true)).toBe(true);
    expect(methods.filter((m) => m.AuthorizationType !== 'CUSTOM').map((m) => m.AuthorizationType).sort()).toEqual(['AWS_IAM', 'NONE']);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 60 });
  });

  it('serves each tenant\'s token endpoint at /t/{tenant}/oauth2/token without an authorizer or API key, method-throttled below the stage', () => {
    const token = resourceIdOf(template, 'token');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'oauth2', ParentId: { Ref: resourceIdOf(template, '{tenant}') } });
    template.hasResourceProperties('AWS::ApiGateway::Method', { ResourceId: { Ref: token }, HttpMethod: 'ANY', AuthorizationType: 'NONE', ApiKeyRequired: Match.absent() });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/~1t~1{tenant}~1oauth2~1token', HttpMethod: '*', ThrottlingRateLimit: POOL_TOKEN_ROUTE_LIMITS.rateLimit, ThrottlingBurstLimit: POOL_TOKEN_ROUTE_LIMITS.burstLimit }),
      ]),
    });
    expect(POOL_TOKEN_ROUTE_LIMITS.rateLimit).toBeLessThan(parsePoolConfig({}).stageThrottling.rateLimit);
  });

  it('signs every tenant\'s access tokens with one retained RSA key only the token function\'s role may sign with; the authorizer only reads its public key', () => {
    const signingKeys = Object.values(template.findResources('AWS::KMS::Key', { Properties: { KeyUsage: 'SIGN_VERIFY' } }));
    expect(signingKeys).toHaveLength(1);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' } });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/scim-pool-main-oauth' });
    const key = signingKeys[0];
    const statements = key.Properties.KeyPolicy.Statement as { Sid: string; Action: string | string[]; Principal: { AWS: unknown } }[];
    const signers = statements.filter((st) => [st.Action].flat().includes('kms:Sign'));
    expect(signers.map((st) => st.Sid)).toEqual(['OnlyTheTokenFunctionSigns']);
    expect(JSON.stringify(signers[0].Principal)).toContain('TokenRole');
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const actionsOf = (rolePart: string) =>
      policies.filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(rolePart)).flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) => [st.Action].flat()));
    expect(actionsOf('TokenRole')).toContain('kms:Sign');
    expect(actionsOf('ReaderRole')).toContain('kms:GetPublicKey');
    expect(actionsOf('ReaderRole')).not.toContain('kms:Sign');
    const env = (desc: string) => Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(`${desc}$`) } }))[0].Properties.Environment.Variables;
    expect(env('token').OAUTH_KEY_ARN).toBeDefined();
    expect(env('authorizer').OAUTH_KEY_ARN).toBeDefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-pool-main-oauth-token-errors', Dimensions: [{ Name: 'tenant', Value: poolMetricsTenant('main') }] });
  });

  it('puts the management API at /manage/{proxy+} behind AWS_IAM, with a managed policy to invoke only it', () => {
    const proxy = Object.entries(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: '{proxy+}' } })).find(
      ([, r]) => (r.Properties as { ParentId: { Ref?: string } }).ParentId.Ref === resourceIdOf(template, 'manage'),
    )?.[0];
    template.hasResourceProperties('AWS::ApiGateway::Method', { ResourceId: { Ref: proxy }, AuthorizationType: 'AWS_IAM', ApiKeyRequired: Match.absent() });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/*/manage/*'])] }) })] },
    });
  });

  it('throttles each tenant with one usage plan whose limits are the pool limits the local server enforces', () => {
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'scim-pool-main-tenants', Throttle: { RateLimit: POOL_TENANT_LIMITS.ratePerSecond, BurstLimit: POOL_TENANT_LIMITS.burst } });
    // No API key in the template: tenants' keys are made at run time by the management API.
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ USAGE_PLAN_NAME: 'scim-pool-main-tenants' }) } });
  });

  it('lets only the management role create and delete API keys, and no role scan the table', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p.Properties.PolicyDocument));
    expect(policies.filter((p) => p.includes('apigateway:'))).toHaveLength(1);
    expect(policies.some((p) => p.includes('dynamodb:Scan'))).toBe(false);
    // The change feed's role and the token function's, for any number of tenants.
    template.resourceCountIs('AWS::IAM::Role', 5);
  });

  it('publishes custom metrics under the pool, never one series per tenant', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment.Variables as Record<string, string>);
    expect(fns.every((v) => v[METRICS_TENANT_ENV] === poolMetricsTenant('main'))).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'scim-pool-main-dashboard' });
  });

  it('ranks tenants by requests, 4xx, 5xx and 429 with Contributor Insights rules over the access log', () => {
    template.resourceCountIs('AWS::CloudWatch::InsightRule', 4);
    const bodies = Object.values(template.findResources('AWS::CloudWatch::InsightRule')).map((r) => r.Properties.RuleBody as { 'Fn::Join': [string, unknown[]] });
    const text = bodies.map((b) => JSON.stringify(b));
    expect(text.every((t) => t.includes('\\"Keys\\":[\\"$.tenant\\"]'))).toBe(true);
    expect(text.some((t) => t.includes('\\"In\\":[\\"429\\"]'))).toBe(true);
  });

  it('runs the maintenance job of every tenant from one schedule, under a name the shared scheduler role may invoke', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'scim-pool_main-maintenance' });
  });

  it('answers a missing tenant usage key with a SCIM 503 to retry, not a bare 403', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'INVALID_API_KEY', StatusCode: '503' });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'THROTTLED', StatusCode: '429' });
  });

  it('takes tenant and stage throttling from the pool config', () => {
    const { template: t } = synthPool({ tenantThrottling: { rateLimit: 30, burstLimit: 60 }, stageThrottling: { rateLimit: 500, burstLimit: 250 } });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 30, BurstLimit: 60 } });
    t.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 250 })]) });
  });

  it('refuses a tenant rate below Entra\u2019s 25 requests/s and an invalid pool name', () => {
    expect(() => parsePoolConfig({ tenantThrottling: { rateLimit: 10, burstLimit: 20 } })).toThrow();
    expect(() => new ScimPoolStack(testApp(), 'X', { pool: 'Bad_Name', functionEntries: ENTRIES })).toThrow(/invalid pool name/);
  });

  it('passes cdk-nag AwsSolutions with every suppression explained, tracing on or off', () => {
    for (const config of [{}, { tracing: true, alarmEmail: 'ops@vendor-corp.io' }]) {
      const { stack: s } = synthPool(config);
      expect(nagFindings(s)).toEqual([]);
    }
  });
});
