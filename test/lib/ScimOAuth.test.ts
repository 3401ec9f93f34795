import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseTenantConfig, type TenantConfigInput } from '../../lib/tenantConfig';
import { synthTenant } from './synthTenant';
import { nagFindings } from './nagFindings';

const FEDERATION: TenantConfigInput['oauth'] = {
  enabled: true,
  accessTokenMinutes: 120,
  federation: [
    { clientId: 'entra-wif', entraTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', subject: 'b1c2d3e4-0000-4000-8000-000000000001', audience: ['a0b1c2d3-0000-4000-8000-000000000002'] },
  ],
};

type Statement = { Action: string | string[]; Principal?: unknown; Effect: string };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('ScimOAuth in the tenant stack', () => {
  const { template, stack } = synthTenant('acme', { oauth: FEDERATION, tracing: true });

  it('creates an RSA 2048 signing key that is retained', () => {
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/scim-acme-oauth' });
  });

  it('lets only the token function sign: the key policy grants kms:Sign to its role alone', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as Array<{ Properties: { KeyPolicy: { Statement: Statement[] } } }>;
    const statements = key.Properties.KeyPolicy.Statement;
    const signers = statements.filter((s) => actions(s).some((a) => a === 'kms:Sign' || a === 'kms:*'));
    expect(signers).toHaveLength(1);
    expect(JSON.stringify(signers[0].Principal)).toContain('OAuthTokenRole');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] }; Roles: unknown[] } }>;
    const withSign = policies.filter((p) => p.Properties.PolicyDocument.Statement.some((s) => actions(s).includes('kms:Sign')));
    expect(withSign).toHaveLength(1);
    expect(JSON.stringify(withSign[0].Properties.Roles)).toContain('OAuthTokenRole');
  });

  it('gives the authorizer kms:GetPublicKey and the key ARN, never kms:Sign', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('AuthorizerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:GetPublicKey', Effect: 'Allow' })]) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'SCIM authorizer (tenant acme)',
      Environment: { Variables: Match.objectLike({ OAUTH_KEY_ARN: Match.anyValue(), OAUTH_CONFIG: Match.stringLikeRegexp('"entra-wif"') }) },
    });
  });

  it('tells the discovery function that OAuth is on, so /ServiceProviderConfig lists it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'SCIM discovery (tenant acme)',
      Environment: { Variables: Match.objectLike({ OAUTH_CONFIG: '{"enabled":true}' }) },
    });
  });

  it('refuses at synth an OAuth configuration too large for Lambda\u2019s environment', () => {
    const fed = FEDERATION!.federation![0];
    const many = Array.from({ length: 10 }, (_, i) => ({ ...fed, clientId: `entra-${i}`, label: 'x'.repeat(200), audience: ['a'.repeat(300)] }));
    expect(() => synthTenant('big', { oauth: { enabled: true, federation: many } })).toThrow(/Lambda environment variables allow at most/);
  });

  it('passes the lifetime and federation to the token function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'SCIM OAuth token endpoint (tenant acme)',
      Environment: { Variables: Match.objectLike({ TENANT: 'acme', OAUTH_CONFIG: Match.stringLikeRegexp('"accessTokenMinutes":120') }) },
    });
  });

  it('routes /oauth2/token without the authorizer and throttles it below the stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'oauth2' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      AuthorizationType: 'NONE',
      ResourceId: { Ref: Match.stringLikeRegexp('oauth2token') },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/~1oauth2~1token', HttpMethod: '*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })]),
    });
  });

  it('keeps the authorizer on every SCIM method', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as Array<{ Properties: { AuthorizationType: string } }>;
    expect(methods.filter((m) => m.Properties.AuthorizationType === 'NONE')).toHaveLength(1);
  });

  it("alarms on token endpoint failures and refusals, notifying the ops stack's shared alarm topic", () => {
    // No alarmEmail: the tenant's alarms go to scim-ops-alarms, by its fixed ARN (lib/opsNames.ts).
    const opsTopic = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':scim-ops-alarms']] };
    for (const name of ['scim-acme-oauth-token-errors', 'scim-acme-oauth-token-denied', 'scim-acme-oauth-token-function-errors']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: name, AlarmActions: [opsTopic] });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'OAuthTokenErrors', Namespace: 'ServerlessScim', Dimensions: [{ Name: 'tenant', Value: 'acme' }] });
  });

  it('outputs the token endpoint URL', () => {
    template.hasOutput('TokenEndpointUrl', { Value: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/oauth2/token'])]) }) });
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('a tenant stack without OAuth', () => {
  const { template } = synthTenant('acme');

  it('has no signing key, no token route and no token endpoint output', () => {
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(Object.values(template.findResources('AWS::ApiGateway::Resource')).some((r) => (r as { Properties: { PathPart: string } }).Properties.PathPart === 'oauth2')).toBe(false);
    expect(Object.keys(template.findOutputs('TokenEndpointUrl'))).toEqual([]);
  });
});

describe('the oauth tenant configuration', () => {
  it('accepts lifetimes from 60 to 360 minutes only', () => {
    expect(parseTenantConfig({ oauth: { enabled: true } }).oauth.accessTokenMinutes).toBe(60);
    expect(() => parseTenantConfig({ oauth: { enabled: true, accessTokenMinutes: 59 } })).toThrow();
    expect(() => parseTenantConfig({ oauth: { enabled: true, accessTokenMinutes: 361 } })).toThrow();
    expect(parseTenantConfig({ oauth: { enabled: true, accessTokenMinutes: 360 } }).oauth.accessTokenMinutes).toBe(360);
  });

  it('refuses a federated client without a tenant GUID, a cli_ id or duplicate ids', () => {
    const fed = FEDERATION!.federation![0];
    expect(() => parseTenantConfig({ oauth: { enabled: true, federation: [{ ...fed, entraTenantId: 'contoso' }] } })).toThrow();
    expect(() => parseTenantConfig({ oauth: { enabled: true, federation: [{ ...fed, clientId: 'cli_0123456789abcdef' }] } })).toThrow();
    expect(() => parseTenantConfig({ oauth: { enabled: true, federation: [fed, fed] } })).toThrow();
  });
});
