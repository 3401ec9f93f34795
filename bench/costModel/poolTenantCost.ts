import { maintenanceScheduleExpression } from '../../lambdas/contracts/schedules';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../../lambdas/contracts/awsLimits';
import { fixedMonthlyCost, runsPerMonth, type CfnTemplate, type CostBreakdown, type CostLine } from './fixedCost';
import { PRICES } from './prices';
import { metricSetsOf } from './tenantFixedCost';

/** What one more tenant of a pool adds whatever its traffic, and the pool's own fixed part shared by all. */
export interface PoolTenantCost {
  /** Lines one tenant adds (to the micro-dollar: most round to zero cents). */
  readonly marginalLines: readonly CostLine[];
  readonly marginalUsd: number;
  /** The pooled stack's fixed part (dashboard, alarms, keys, schedules), read from its template. */
  readonly poolFixed: CostBreakdown;
  /** Fixed cost per tenant at these pool sizes: the pool's share plus the marginal part. */
  readonly perTenantAt: ReadonlyArray<{ readonly tenants: number; readonly usd: number }>;
}

/** Options of {@link poolTenantCost}. */
export interface PoolTenantCostOptions {
  /**
   * Bytes one idle tenant keeps in the table: its record (with its configuration), a token record
   * and its listing entry, the OAuth clients document, its cursor key. @default 4096
   */
  readonly tenantBytes?: number;
  /** Billed ms of the maintenance job per idle tenant per run (two Queries). @default 5 */
  readonly maintenanceMsPerTenant?: number;
  /** Pool sizes to show the per-tenant figure at. @default [100, 1000, 10000] */
  readonly sizes?: readonly number[];
}

const micro = (n: number) => Math.round(n * 1e6) / 1e6;

function costLine(item: string, quantity: number, unit: string, unitUsd: number, basis: string): CostLine {
  return { item, quantity: micro(quantity), unit, unitUsd, monthlyUsd: micro(quantity * unitUsd), basis };
}

/**
 * The fixed monthly cost a pooled tenant adds (the pool's promise: near zero per tenant): no resource of its own in any stack (its API key and usage-plan membership are free,
 * its metrics are the pool's one series, its OAuth tokens are signed by the pool's one key), only
 * its records' storage (with PITR) and its share of the pool's maintenance schedule, which walks
 * every tenant each run (two Queries of 1 RRU each for an idle tenant). The pool's own fixed part
 * comes from its synthesized template, as a silo tenant's does.
 */
export function poolTenantCost(poolTemplate: CfnTemplate, options: PoolTenantCostOptions = {}): PoolTenantCost {
  const runs = runsPerMonth(maintenanceScheduleExpression());
  const gb = (options.tenantBytes ?? 4096) / 1e9;
  const ms = options.maintenanceMsPerTenant ?? 5;
  const ddb = PRICES.dynamodb;
  const marginalLines = [
    costLine('Tenant records: storage and PITR', gb, 'GB-month', ddb.storagePerGbMonth + ddb.pitrPerGbMonth, `${options.tenantBytes ?? 4096} bytes`),
    costLine('Maintenance: reads', (runs * 2) / 1e6, 'million read units', ddb.perMillionReadUnits, `2 Queries of 1 RRU per run, ${Math.round(runs)} runs`),
    costLine('Maintenance: Lambda duration', (runs * ms * (DEFAULT_FUNCTION_MEMORY_MB / 1024)) / 1000, 'GB-second', PRICES.lambda.arm64PerGbSecond, `${ms} ms per tenant per run at ${DEFAULT_FUNCTION_MEMORY_MB} MB`),
    costLine('API key and usage-plan membership', 1, 'key', 0, 'API Gateway charges no API key or usage plan'),
    costLine('Custom metrics', 0, 'metric-month', PRICES.cloudwatch.customMetricPerMonth, 'the pool publishes one series for every tenant (tenant = pool.<name>)'),
  ];
  const marginalUsd = micro(marginalLines.reduce((n, l) => n + l.monthlyUsd, 0));
  const poolFixed = fixedMonthlyCost(poolTemplate, { metricSets: metricSetsOf(poolTemplate) });
  return {
    marginalLines,
    marginalUsd,
    poolFixed,
    perTenantAt: (options.sizes ?? [100, 1_000, 10_000]).map((tenants) => ({ tenants, usd: micro(poolFixed.totalUsd / tenants + marginalUsd) })),
  };
}
