import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { ScimApi } from '../../lib/ScimApi';
import { ScimDashboard } from '../../lib/ScimDashboard';
import { ScimFunctions } from '../../lib/ScimFunctions';
import { ScimSecret } from '../../lib/ScimSecret';
import { ScimTable } from '../../lib/ScimTable';
import { FIXTURE_ENTRIES, testApp } from './synthTenant';

/** A stack with the table, secret and functions, customised by `props`. */
function build(
  props: { functions?: Partial<ConstructorParameters<typeof ScimFunctions>[2]>; api?: Partial<ConstructorParameters<typeof ScimApi>[2]>; dashboard?: Partial<ConstructorParameters<typeof ScimDashboard>[2]> } = {},
): Template {
  const stack = new Stack(testApp(), 'PropsTest');
  const table = new ScimTable(stack, 'Table').table;
  const secret = new ScimSecret(stack, 'Secret', { tenant: 't' }).secret;
  const functions = new ScimFunctions(stack, 'Functions', { tenant: 't', table, secret, entries: FIXTURE_ENTRIES, ...props.functions });
  const api = new ScimApi(stack, 'Api', { tenant: 't', functions, ...props.api });
  new ScimDashboard(stack, 'Dashboard', { tenant: 't', api: api.api, functions: functions.functions, table, ...props.dashboard });
  return Template.fromStack(stack);
}

describe('ScimFunctions props', () => {
  it('sets reservedConcurrency per function', () => {
    const t = build({ functions: { reservedConcurrency: { bulk: 5 } } });
    t.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^SCIM bulk'), ReservedConcurrentExecutions: 5 });
    t.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^SCIM users'), ReservedConcurrentExecutions: Match.absent() });
  });

  it('sets memorySize on every function but bulk (512 MB by default), and bulkMemorySize on bulk (8,845 MB, 5 vCPU, by default)', () => {
    const bulk = { Description: Match.stringLikeRegexp('^SCIM bulk ') };
    build().resourcePropertiesCountIs('AWS::Lambda::Function', { MemorySize: 512 }, 5);
    build().hasResourceProperties('AWS::Lambda::Function', { ...bulk, MemorySize: 8_845 });
    build({ functions: { memorySize: 1024 } }).resourcePropertiesCountIs('AWS::Lambda::Function', { MemorySize: 1024 }, 5);
    build({ functions: { bulkMemorySize: 3008 } }).hasResourceProperties('AWS::Lambda::Function', { ...bulk, MemorySize: 3008 });
  });

  it('gives the bulk function one libuv thread per whole vCPU for its password hashes, never fewer than 4', () => {
    // Prepare / Act
    const pool = (t: ReturnType<typeof build>) =>
      Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^SCIM bulk ') } }))[0].Properties.Environment.Variables.UV_THREADPOOL_SIZE;
    // Assess: 8,845 MB is 5 vCPU; 3,008 MB is 1.7, so Node's default 4; 10,240 MB is 5.8, still 5.
    expect(pool(build())).toBe('5');
    expect(pool(build({ functions: { bulkMemorySize: 3008 } }))).toBe('4');
    expect(pool(build({ functions: { bulkMemorySize: 10_240 } }))).toBe('5');
    build().hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^SCIM users '),
      Environment: { Variables: Match.objectLike({ UV_THREADPOOL_SIZE: Match.absent() }) },
    });
  });

  it('keeps every timeout behind API Gateway below its 29 s', () => {
    const fns = Object.values(build().findResources('AWS::Lambda::Function')).filter((fn) => !String(fn.Properties.Description).includes('maintenance'));
    expect(fns).toHaveLength(5);
    for (const fn of fns) expect(fn.Properties.Timeout).toBeLessThan(29);
  });
});

describe('ScimSecret props', () => {
  it('defaults to scim/<tenant>/tokens, retained', () => {
    const t = build();
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ Name: 'scim/t/tokens' }) });
  });

  it('honours secretName, encryptionKey and removalPolicy', () => {
    const stack = new Stack(testApp(), 'SecretTest');
    new ScimSecret(stack, 'Secret', { tenant: 't', secretName: 'custom/name', encryptionKey: new kms.Key(stack, 'Key'), removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Name: 'custom/name', KmsKeyId: Match.anyValue() }),
    });
  });
});

describe('ScimApi props', () => {
  it('uses the stage name (prod by default)', () => {
    build().hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    build({ api: { stageName: 'v1' } }).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
  });

  it('uses default throttling of 50 rps and 100 burst', () => {
    build().hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    });
  });

  it('disables authorizer caching with a zero TTL', () => {
    build({ api: { authorizerCacheTtl: Duration.seconds(0) } }).hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
  });
});

describe('ScimDashboard props', () => {
  it('uses serverErrorRatePercent and authorizerDenialThreshold', () => {
    const t = build({ dashboard: { serverErrorRatePercent: 2, authorizerDenialThreshold: 100 } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-t-api-5xx-rate', Threshold: 2 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-t-authorizer-denials', Threshold: 100 });
  });

  it('names the dashboard from dashboardName', () => {
    build({ dashboard: { dashboardName: 'ops-view' } }).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ops-view' });
  });

  it('builds no no-provisioning alarm unless a window is given', () => {
    build().resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    build({ dashboard: { noProvisioningAlarmHours: 24 } }).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'scim-t-no-successful-calls', EvaluationPeriods: 24 });
  });

  it('refuses a no-provisioning window that leaves no room in the 7 days CloudWatch can evaluate', () => {
    expect(() => build({ dashboard: { noProvisioningAlarmHours: 145 } })).toThrow(/1\.\.144/);
  });
});
