import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { issueTokenCommand, ScimTenantStack, tenantStackName } from '../../lib/ScimTenantStack';
import { parseTenantConfig, type TenantConfigInput } from '../../lib/tenantConfig';
import { FIXTURE_ENTRIES, synthTenant, testApp } from './synthTenant';
import { nagFindings } from './nagFindings';

/** A configuration that switches every optional part on. */
const EVERYTHING: TenantConfigInput = {
  alarmEmail: 'ops@acme-corp.io',
  dashboard: true,
  metricsDetail: 'full',
  tracing: true,
  waf: { enabled: true, allowedCidrs: ['20.40.0.0/16', '2603:1000::/24'] },
  changeFeed: { bus: 'tenant', payload: 'ids', eventLogRetentionDays: 30, webhookUrl: 'https://hooks.vendor.example.net/scim' },
  customExtensions: [
    {
      resourceType: 'User',
      schema: { id: 'urn:acme:params:scim:schemas:extension:Badge:2.0:User', name: 'Badge', attributes: [{ name: 'badgeNumber', type: 'string' }] },
    },
  ],
};

describe('ScimTenantStack', () => {
  const { stack, template } = synthTenant('acme');

  it('is named Scim-<tenant> and environment-agnostic', () => {
    expect(stack.stackName).toBe('Scim-acme');
    expect(tenantStackName('acme')).toBe('Scim-acme');
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('names the table and secret after the tenant', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'scim-acme' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'scim/acme/tokens' });
  });

  it('seeds the secret with an empty token list and no secret material', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: JSON.stringify({ version: 1, tenant: 'acme', tokens: [] }),
      GenerateSecretString: Match.absent(),
    });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('tags every taggable resource with the tenant and the app', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'scim:tenant', Value: 'acme' }]) });
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'app', Value: 'serverless-scim' }]) });
    template.allResourcesProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([{ Key: 'scim:tenant', Value: 'acme' }]) });
  });

  it('outputs the SCIM base URL, secret ARN, dashboard URL and token command', () => {
    template.hasOutput('ScimBaseUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/scim/v2'])] },
    });
    template.hasOutput('SecretArn', { Value: { Ref: Match.stringLikeRegexp('^Secret') } });
    // No dashboard of its own by default: the output points at the ops stack's fleet dashboard.
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('console\\.aws\\.amazon\\.com/cloudwatch/home'), Match.stringLikeRegexp('#dashboards:name=scim-fleet$')])] },
    });
    synthTenant('acme', { dashboard: true }).template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('#dashboards:name=scim-acme$')])] },
    });
    template.hasOutput('IssueTokenCommand', { Value: 'npm run token -- create --tenant acme --label idp' });
    // The change feed's outputs (EventBusName, EventsEndpoint, TableName, TableStreamArn) are tested in ScimChangeFeed.test.ts.
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['DashboardUrl', 'EventBusName', 'EventsEndpoint', 'IssueTokenCommand', 'ScimBaseUrl', 'SecretArn', 'TableName', 'TableStreamArn']);
    expect(issueTokenCommand('acme')).toBe('npm run token -- create --tenant acme --label idp');
  });

  it('refuses a malformed tenant name', () => {
    expect(() => new ScimTenantStack(testApp(), 'X', { tenant: 'Acme_Corp', functionEntries: FIXTURE_ENTRIES })).toThrow(/invalid tenant name/);
  });

  it('synthesizes two tenants side by side in one App without clashing names', () => {
    // Prepare
    const app = testApp();
    // Act
    const every = { dashboard: true, tenantAlarms: true } as const;
    const stackA = new ScimTenantStack(app, 'Scim-acme', { tenant: 'acme', config: parseTenantConfig(every), functionEntries: FIXTURE_ENTRIES });
    const stackB = new ScimTenantStack(app, 'Scim-globex', { tenant: 'globex', config: parseTenantConfig({ ...every, waf: { enabled: true } }), functionEntries: FIXTURE_ENTRIES });
    const assembly = app.synth();
    const a = { template: Template.fromStack(stackA) };
    const b = { template: Template.fromStack(stackB) };
    // Assess
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Scim-acme', 'Scim-globex']);
    const physicalNames = (t: Template): string[] => {
      const names: string[] = [];
      for (const r of Object.values(t.toJSON().Resources) as Array<{ Properties?: Record<string, unknown> }>) {
        for (const key of ['TableName', 'Name', 'DashboardName', 'AlarmName', 'FunctionName', 'RoleName', 'LogGroupName', 'TopicName']) {
          const v = r.Properties?.[key];
          if (typeof v === 'string') names.push(v);
        }
      }
      return names;
    };
    const namesA = physicalNames(a.template);
    const namesB = physicalNames(b.template);
    expect(namesA.length).toBeGreaterThan(10);
    expect(namesA.filter((n) => namesB.includes(n))).toEqual([]);
    for (const n of namesA) expect(n).toMatch(/acme/);
    for (const n of namesB) expect(n).toMatch(/globex/);
  });

  it('passes cdk-nag AwsSolutions with defaults, every suppression carrying a reason', () => {
    const { stack: s } = synthTenant('acme');
    expect(nagFindings(s)).toEqual([]);
  });

  it('passes cdk-nag AwsSolutions with every option on (WAF, tracing, email, extensions, tenant bus, webhook)', () => {
    const { stack: s } = synthTenant('acme', EVERYTHING);
    expect(nagFindings(s)).toEqual([]);
  });

  it("passes CDK's built-in CloudFormation schema validation", () => {
    // Prepare: the validation plugin runs on synth and throws on errors.
    const app = testApp({ validate: true });
    new ScimTenantStack(app, 'Scim-acme', { tenant: 'acme', config: parseTenantConfig(EVERYTHING), functionEntries: FIXTURE_ENTRIES });
    // Act / Assess
    expect(() => app.synth()).not.toThrow();
    expect(process.exitCode ?? 0).toBe(0);
    // The schema check of a whole template is CPU-bound: on a loaded machine it takes over vitest's 30 s.
  }, 120_000);
});
