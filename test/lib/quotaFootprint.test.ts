import { describe, expect, it } from 'vitest';
import { AWS_QUOTAS_CHECKED, countResources, quotaUse, RESERVED_CONCURRENCY_COUNT, type QuotaUse } from '../../lib/awsQuotas';
import { synthTenant } from './synthTenant';

/** The table the README quotes, printed so a change of footprint shows in the test log. */
function printTable(title: string, uses: readonly QuotaUse[]): void {
  const rows = uses.map((u) => `  ${u.quota.name.padEnd(44)} ${String(u.quota.default).padStart(9)} ${u.quota.adjustable ? 'adj.' : 'hard'}  ${String(u.perTenant).padStart(3)}/tenant  -> ${u.tenants === Infinity ? 'no limit' : `${u.tenants} tenants`}`);
  console.log(`${title} (AWS quotas as of ${AWS_QUOTAS_CHECKED})\n${rows.join('\n')}`);
}

describe('quota footprint of a tenant', () => {
  const defaults = quotaUse(countResources(synthTenant('acme').template.toJSON()));
  const byType = (uses: readonly QuotaUse[], type: string): QuotaUse => uses.find((u) => u.quota.resourceType === type)!;

  it('prints what one default tenant uses of each quota and how many tenants fit', () => {
    printTable('Default tenant', defaults);
    const binding = defaults.reduce((a, b) => (b.tenants < a.tenants ? b : a));
    console.log(`One account and Region holds ${binding.tenants} default tenants (bound: ${binding.quota.name}).`);
    expect(binding.tenants).toBeGreaterThanOrEqual(250);
  });

  it('adds three IAM roles per tenant, so IAM no longer stops a fleet before tenant 250', () => {
    const roles = byType(defaults, 'AWS::IAM::Role');
    expect(roles.perTenant).toBeLessThanOrEqual(4);
    expect(roles.tenants).toBeGreaterThanOrEqual(250);
  });

  it('adds no EventBridge rule: maintenance runs on an EventBridge Scheduler schedule', () => {
    expect(byType(defaults, 'AWS::Events::Rule').perTenant).toBe(0);
    expect(byType(defaults, 'AWS::Scheduler::Schedule').perTenant).toBe(1);
  });

  it('adds one REST API, so 600 tenants per Region is the hard ceiling once the IAM quota is raised', () => {
    const api = byType(defaults, 'AWS::ApiGateway::RestApi');
    expect(api.perTenant).toBe(1);
    expect(api.quota.adjustable).toBe(false);
    expect(api.tenants).toBe(600);
    // With IAM raised to its 5,000 maximum and the concurrency quota to 1,300, every other quota
    // allows more than the API quota does.
    const raised = ['AWS::IAM::Role', RESERVED_CONCURRENCY_COUNT];
    const others = defaults.filter((u) => u.quota.adjustable && !raised.includes(u.quota.resourceType));
    expect(Math.min(...others.map((u) => u.tenants))).toBeGreaterThan(600);
    const concurrency = byType(defaults, RESERVED_CONCURRENCY_COUNT);
    expect(Math.floor((1_300 - concurrency.quota.overhead) / concurrency.perTenant)).toBeGreaterThanOrEqual(600);
    expect(Math.floor((5_000 - roleOverhead(defaults)) / byType(defaults, 'AWS::IAM::Role').perTenant)).toBeGreaterThan(600);
  });

  it("counts each tenant's reserved concurrency against the Region's pool, less the 100 Lambda keeps unreserved", () => {
    const concurrency = byType(defaults, RESERVED_CONCURRENCY_COUNT);
    expect(concurrency.perTenant).toBe(2);
    expect(concurrency.tenants).toBe(450);
    const heavy = quotaUse(countResources(synthTenant('acme', { reservedConcurrency: { users: 10, groups: 10 } }).template.toJSON()));
    expect(byType(heavy, RESERVED_CONCURRENCY_COUNT)).toMatchObject({ perTenant: 22, tenants: 40 });
  });

  it('shares what tenants can share: no topic, web ACL, dashboard or alarm per tenant by default', () => {
    const counts = countResources(synthTenant('acme').template.toJSON());
    for (const type of ['AWS::SNS::Topic', 'AWS::WAFv2::WebACL', 'AWS::WAFv2::IPSet', 'AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm']) {
      expect({ type, count: counts[type] ?? 0 }).toEqual({ type, count: 0 });
    }
  });

  it('shows the web ACL quota (100 per Region) binding when every tenant has a web ACL of its own', () => {
    const own = quotaUse(countResources(synthTenant('acme', { waf: { enabled: true, allowedCidrs: ['20.40.0.0/16'] } }).template.toJSON()));
    printTable('Tenant with a web ACL of its own', own.filter((u) => u.quota.resourceType.startsWith('AWS::WAFv2')));
    expect(byType(own, 'AWS::WAFv2::WebACL').tenants).toBeLessThan(100);
    const shared = quotaUse(countResources(synthTenant('acme', { waf: { shared: true } }).template.toJSON()));
    expect(byType(shared, 'AWS::WAFv2::WebACL').perTenant).toBe(0);
  });
});

function roleOverhead(uses: readonly QuotaUse[]): number {
  return uses.find((u) => u.quota.resourceType === 'AWS::IAM::Role')!.quota.overhead;
}
