import { describe, expect, it } from 'vitest';
import { poolTenantCost } from '../../bench/costModel/poolTenantCost';
import { fixedMonthlyCost } from '../../bench/costModel/fixedCost';
import { synthPoolTemplate, synthTenant } from './synthTenant';

describe('the fixed cost of a pooled tenant', () => {
  const pool = synthPoolTemplate('main');
  const cost = poolTenantCost(pool);

  it('is under a cent a month: no resource, API key charge or metric series of its own', () => {
    expect(cost.marginalUsd).toBeGreaterThan(0);
    expect(cost.marginalUsd).toBeLessThan(0.01);
    expect(cost.marginalLines.find((l) => l.item === 'Custom metrics')?.quantity).toBe(0);
    expect(cost.marginalLines.find((l) => l.item.startsWith('API key'))?.monthlyUsd).toBe(0);
  });

  it("at 10,000 tenants, the pool's share and the marginal part together are a fraction of one silo tenant's fixed cost", () => {
    const silo = fixedMonthlyCost(synthTenant('acme').template.toJSON());
    const at10k = cost.perTenantAt.find((p) => p.tenants === 10_000)!;
    expect(cost.poolFixed.totalUsd).toBeGreaterThan(0);
    expect(at10k.usd).toBeLessThan(silo.totalUsd / 100);
  });

  it('grows with what a tenant keeps and how long maintenance spends on it, and with nothing else', () => {
    const bigger = poolTenantCost(pool, { tenantBytes: 4096 * 100, maintenanceMsPerTenant: 50 });
    expect(bigger.marginalUsd).toBeGreaterThan(cost.marginalUsd);
    expect(bigger.poolFixed.totalUsd).toBe(cost.poolFixed.totalUsd);
  });
});
