import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { CostBreakdown } from '../../bench/costModel/fixedCost';
import { PRICES_AS_OF } from '../../bench/costModel/prices';
import { metricSetsOf, tenantFixedCost } from '../../bench/costModel/tenantFixedCost';
import { METRIC_SETS_BY_DETAIL } from '../../lambdas/contracts/metricNames';
import { parseOpsConfig } from '../../lib/opsConfig';
import { ScimOpsStack } from '../../lib/ScimOpsStack';
import type { TenantConfigInput } from '../../lib/tenantConfig';
import { synthTenant, testApp } from './synthTenant';

/** The fleet size the per-tenant share of the ops stack is quoted at in the README. */
const FLEET = 100;

const ops = Template.fromStack(new ScimOpsStack(testApp(), 'ScimOps', { config: parseOpsConfig({}) })).toJSON();

function costOf(config: TenantConfigInput = {}, tenants = FLEET): CostBreakdown {
  return tenantFixedCost(synthTenant('acme', config).template.toJSON(), ops, tenants);
}

function print(title: string, cost: CostBreakdown): void {
  const rows = cost.lines.map((l) => `  ${l.item.padEnd(40)} ${String(l.quantity).padStart(9)} ${l.unit.padEnd(18)} $${l.monthlyUsd.toFixed(2).padStart(6)}`);
  console.log(`${title}: $${cost.totalUsd.toFixed(2)}/month (prices of ${PRICES_AS_OF})\n${rows.join('\n')}`);
}

describe('fixed cost of a tenant', () => {
  it('stays at or under $3 a month in the default configuration, in a fleet of 100', () => {
    const cost = costOf();
    print(`Default tenant in a fleet of ${FLEET}`, cost);
    expect(cost.totalUsd).toBeLessThanOrEqual(3);
    // Every metric stream counted: six metrics on [tenant], each a full month.
    expect(cost.lines.find((l) => l.item.startsWith('CloudWatch custom metrics'))?.quantity).toBe(6);
  });

  it('reads the metric sets from the METRICS_DETAIL the functions are deployed with', () => {
    expect(metricSetsOf(synthTenant('acme').template.toJSON())).toBe(METRIC_SETS_BY_DETAIL.minimal);
    expect(metricSetsOf(synthTenant('acme', { metricsDetail: 'full' }).template.toJSON())).toBe(METRIC_SETS_BY_DETAIL.full);
  });

  it('prices each knob that raises it: dashboard, own alarms, metrics detail, own web ACL', () => {
    const base = costOf().totalUsd;
    const knobs: Record<string, TenantConfigInput> = {
      'dashboard: true': { dashboard: true },
      'tenantAlarms: true': { tenantAlarms: true },
      "metricsDetail: 'standard'": { metricsDetail: 'standard' },
      "metricsDetail: 'full'": { metricsDetail: 'full' },
      'waf.enabled (own web ACL)': { waf: { enabled: true } },
      'noProvisioningAlarmHours: 24': { noProvisioningAlarmHours: 24 },
      'oauth.enabled': { oauth: { enabled: true } },
    };
    const rows: string[] = [];
    for (const [knob, config] of Object.entries(knobs)) {
      const cost = costOf(config);
      rows.push(`  ${knob.padEnd(28)} +$${(cost.totalUsd - base).toFixed(2)} -> $${cost.totalUsd.toFixed(2)}`);
      expect(cost.totalUsd).toBeGreaterThan(base);
    }
    console.log(`Knobs over the $${base.toFixed(2)} default:\n${rows.join('\n')}`);
    // A shared web ACL adds nothing per tenant: its cost is the ops stack's.
    expect(costOf({ waf: { shared: true } }).totalUsd).toBe(base);
  });

  it('spreads the ops stack over the fleet: a lone tenant carries all of it', () => {
    print('A single tenant', costOf({}, 1));
    expect(costOf({}, 1).totalUsd).toBeGreaterThan(costOf({}, FLEET).totalUsd);
  });
});
