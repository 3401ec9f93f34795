import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../lib/buildFleet';
import { parseOpsConfig } from '../../lib/opsConfig';
import { parseTenantConfig } from '../../lib/tenantConfig';
import { FIXTURE_ENTRIES, testApp } from './synthTenant';

/** Physical names (tables, secrets, functions, APIs...) of a template, as `<type> <name>`. */
function physicalNames(template: Template): string[] {
  const names: string[] = [];
  for (const r of Object.values(template.toJSON().Resources) as Array<{ Type: string; Properties?: Record<string, unknown> }>) {
    for (const key of ['TableName', 'Name', 'DashboardName', 'AlarmName', 'FunctionName', 'RoleName', 'TopicName']) {
      const v = r.Properties?.[key];
      if (typeof v === 'string') names.push(`${r.Type} ${v}`);
    }
  }
  return names;
}

describe('buildFleet', () => {
  const tenants = [
    { tenant: 'acme', config: parseTenantConfig({}) },
    { tenant: 'globex', config: parseTenantConfig({ waf: { shared: true }, metricsDetail: 'standard' }) },
    { tenant: 'initech', config: parseTenantConfig({ dashboard: true, tenantAlarms: true, dataGeneration: 2 }) },
  ];

  it('synthesizes three tenants side by side with the ops stack, every tenant after it', () => {
    // Prepare
    const app = testApp();
    // Act
    const fleet = buildFleet(app, { ops: parseOpsConfig({ waf: { enabled: true } }), tenants }, FIXTURE_ENTRIES);
    const assembly = app.synth();
    // Assess
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Scim-acme', 'Scim-globex', 'Scim-initech', 'ScimOps']);
    for (const stack of fleet.tenants) expect(stack.dependencies.map((d) => d.stackName)).toEqual(['ScimOps']);
    const names = fleet.tenants.map((s) => physicalNames(Template.fromStack(s)));
    const all = names.flat();
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
    names.forEach((list, i) => {
      expect(list.length).toBeGreaterThanOrEqual(4);
      for (const n of list) expect(n).toContain(tenants[i].tenant);
    });
    // No tenant imports an export of the ops stack: updates of either never block the other.
    for (const stack of fleet.tenants) expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::ImportValue');
  });

  it('associates only the tenant that asks for it with the shared web ACL, through an SSM parameter', () => {
    const app = testApp();
    const fleet = buildFleet(app, { ops: parseOpsConfig({ waf: { enabled: true } }), tenants }, FIXTURE_ENTRIES);
    const [acme, globex] = fleet.tenants.map((s) => Template.fromStack(s));
    acme.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    globex.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const param = Object.entries(globex.toJSON().Parameters as Record<string, { Type: string; Default: string }>).find(([, p]) => p.Default === '/scim/ops/web-acl-arn');
    expect(param?.[1].Type).toBe('AWS::SSM::Parameter::Value<String>');
    globex.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { Ref: param![0] } });
  });

  it('synthesizes named tenants without the ops stack (-c tenant / -c tenants)', () => {
    const app = testApp();
    const fleet = buildFleet(app, { tenants: tenants.slice(0, 2) }, FIXTURE_ENTRIES);
    expect(fleet.ops).toBeUndefined();
    expect(app.synth().stacks.map((s) => s.stackName).sort()).toEqual(['Scim-acme', 'Scim-globex']);
  });
});
