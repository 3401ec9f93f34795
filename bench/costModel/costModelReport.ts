import type { OperationResult } from '../harness';
import type { ScenarioResult } from '../scenario';
import { synthTenant } from '../../test/lib/synthTenant';
import { fixedMonthlyCost } from './fixedCost';
import { metricSetsOf } from './tenantFixedCost';
import { ASSUMPTIONS, PRICE_SOURCE, TENANT_SIZES, tenantMonthlyCost } from './tenantCost';
import { poolTenantCost } from './poolTenantCost';
import { synthPoolTemplate } from '../../test/lib/synthTenant';

/** Local init CPU ms by function from the coldInitMs figures (defaults when that scenario did not run). */
function initOf(coldInit: unknown): { users: number; groups: number; authorizer: number } {
  const f = (coldInit ?? {}) as Record<string, { median?: number } | undefined>;
  return { users: f.users?.median ?? 100, groups: f.groups?.median ?? 100, authorizer: f.authorizer?.median ?? 80 };
}

/**
 * `costModel`: the monthly cost of one tenant at 1,000, 10,000 and 100,000 users from the measured
 * per-operation units and the synthesized default stack, and the fixed part with and without WAF.
 */
export function costModelOf(ops: Record<string, OperationResult>, coldInit: unknown): ScenarioResult {
  const template = synthTenant('acme').template.toJSON();
  const withWaf = synthTenant('acme', { waf: { enabled: true } }).template.toJSON();
  const tenants = TENANT_SIZES.map((p) => tenantMonthlyCost(p, ops, initOf(coldInit), template));
  const fixed = fixedMonthlyCost(template, { metricSets: metricSetsOf(template) });
  const fixedWaf = fixedMonthlyCost(withWaf, { metricSets: metricSetsOf(withWaf) });
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const pooled = poolTenantCost(synthPoolTemplate('main'));
  const itemsOf = tenants[0].lines.map((l) => l.item);
  const markdown = [
    `${PRICE_SOURCE}. Daily full sync (a lookup per user and group), churn per month: ${ASSUMPTIONS.monthlyUpdateRate * 100} % of users updated, ${ASSUMPTIONS.monthlyJoinRate * 100} % joining, ${ASSUMPTIONS.monthlyLeaveRate * 100} % leaving (deactivated, then deleted), ${ASSUMPTIONS.monthlyMembershipChurn * 100} % of memberships changed; incremental cycles every 40 min.`,
    '',
    `| item | ${tenants.map((t) => `${t.profile.users.toLocaleString('en-US')} users`).join(' | ')} |`,
    `|---|${tenants.map(() => '---:').join('|')}|`,
    ...itemsOf.map((item) => `| ${item} | ${tenants.map((t) => usd(t.lines.find((l) => l.item === item)?.monthlyUsd ?? 0)).join(' | ')} |`),
    `| **variable** | ${tenants.map((t) => usd(t.variableUsd)).join(' | ')} |`,
    `| **fixed** | ${tenants.map((t) => usd(t.fixedUsd)).join(' | ')} |`,
    `| **total per month** | ${tenants.map((t) => `**${usd(t.totalUsd)}**`).join(' | ')} |`,
    `| per 1,000 users | ${tenants.map((t) => usd(t.perThousandUsersUsd)).join(' | ')} |`,
    '',
    `Fixed part of the default stack: ${usd(fixed.totalUsd)} a month (${fixed.lines.map((l) => `${l.item} ${usd(l.monthlyUsd)}`).join(', ')}); with WAF on: ${usd(fixedWaf.totalUsd)}.`,
    '',
    `Pooled tenant: marginal fixed cost $${pooled.marginalUsd.toFixed(4)} a month (${pooled.marginalLines.filter((l) => l.monthlyUsd > 0).map((l) => `${l.item} $${l.monthlyUsd.toFixed(4)}`).join(', ')}; no resource, key or metric of its own); the pool's fixed part ${usd(pooled.poolFixed.totalUsd)}, so ${pooled.perTenantAt.map((p) => `$${p.usd.toFixed(4)} per tenant at ${p.tenants.toLocaleString('en-US')}`).join(', ')}.`,
  ].join('\n');
  return {
    figures: { prices: PRICE_SOURCE, assumptions: ASSUMPTIONS, tenants, fixed, fixedWithWaf: fixedWaf, pooledTenant: pooled },
    markdown,
    notes: ['costModel: variable lines from the per-operation units of this run (AWS-priced) and the assumptions in costModel.assumptions; Lambda duration and INIT scaled from local CPU to a 512 MB share of a vCPU; fixed part from the synthesized default template (bench/costModel/fixedCost.ts).'],
  };
}
