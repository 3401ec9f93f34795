import type { OperationResult } from '../harness';
import { fixedMonthlyCost, type CfnTemplate, type CostBreakdown, type CostLine } from './fixedCost';
import { metricSetsOf } from './tenantFixedCost';
import { PRICES, PRICES_AS_OF, PRICES_REGION } from './prices';

/** A tenant's size and activity. */
export interface TenantProfile {
  readonly users: number;
  readonly groups: number;
  /** Group memberships (user in group). */
  readonly memberships: number;
}

/**
 * Assumptions of the model, all stated in latest.json next to the result. Traffic follows Entra:
 * a daily full cycle matching every user and group (a lookup each, PATCH only when changed) and
 * incremental cycles every 40 minutes carrying the churn.
 */
export const ASSUMPTIONS = {
  /** Share of users changed per month (an attribute PATCH). */
  monthlyUpdateRate: 0.1,
  /** Share of users created, deactivated and deleted per month (joiners, leavers). */
  monthlyJoinRate: 0.02,
  monthlyLeaveRate: 0.02,
  /** Membership changes per month, as a share of memberships. */
  monthlyMembershipChurn: 0.05,
  /** Full cycles per month (daily). */
  fullSyncsPerMonth: 30,
  /** Incremental cycles per month (every 40 minutes): each starts with cold functions. */
  incrementalCyclesPerMonth: 30 * 36,
  /** Functions cold at each cycle start: authorizer, users, groups, and a second users environment. */
  coldStartsPerCycle: 4,
  /** Lambda memory (MB) and its CPU share: 1 vCPU at 1,769 MB, so our local CPU ms count × 1769/512. */
  memoryMb: 512,
  cpuScale: 1769 / 512,
  /** DynamoDB round trip in-region, ms (added per DynamoDB call to the billed duration). */
  dynamoRoundTripMs: 6,
  /** INIT on Lambda (module load, SDK included) as a multiple of the local init CPU ms. */
  initScale: 1769 / 512,
  /** Log bytes per request (our one line with its EMF document, plus Lambda's START/END/REPORT). */
  logBytesPerRequest: 1_100,
  /** Authorizer invocations: API Gateway caches its answer 300 s per token. */
  authorizerCacheSeconds: 300,
  /** Entra's request rate during a cycle (req/s): how long the functions are busy. */
  idpRequestsPerSecond: 10,
  /** Item bytes: a user with its marker and lookups; a membership (with its GSI1 copy); a group. */
  userBytes: 1_500,
  membershipBytes: 2 * 220,
  groupBytes: 600,
  /** GSI write replication: +1 WCU per resource write (listing index) and per membership write (reverse index). */
  gsiWriteUnitsPerWrite: 1,
} as const;

/** One operation's unit cost, from the bench's per-operation table. */
interface UnitCost {
  readonly requests: number;
  readonly rcu: number;
  readonly wcu: number;
  readonly ownCpuMs: number;
}

const unit = (o: OperationResult | undefined, fallback: UnitCost): UnitCost => (o ? { requests: o.requests, rcu: o.readUnitsAwsPriced, wcu: o.writeUnitsAwsPriced, ownCpuMs: o.ownCpuMs } : fallback);

/** The monthly cost of one tenant: variable lines from the measured units, plus the fixed part. */
export interface TenantCost extends CostBreakdown {
  readonly profile: TenantProfile;
  readonly requestsPerMonth: number;
  readonly variableUsd: number;
  readonly fixedUsd: number;
  readonly perThousandUsersUsd: number;
}

/**
 * Cost of a tenant per month: API Gateway requests, Lambda requests and GB-seconds (INIT billed,
 * since 2025-08-01), DynamoDB on-demand units (AWS-priced by the bench, GSI replication added) and
 * storage with PITR, CloudWatch Logs ingestion, plus fixedMonthlyCost of the template.
 */
export function tenantMonthlyCost(profile: TenantProfile, ops: Record<string, OperationResult>, initMs: { users: number; groups: number; authorizer: number }, template: CfnTemplate): TenantCost {
  const a = ASSUMPTIONS;
  const zero: UnitCost = { requests: 2, rcu: 2, wcu: 0, ownCpuMs: 1 };
  const lookup = unit(ops['user.filter.userName'], zero);
  const create = unit(ops['user.create'], { ...zero, wcu: 10 });
  const patch = unit(ops['user.patch'], { ...zero, wcu: 2 });
  const deactivate = unit(ops['user.deactivate'], { ...zero, wcu: 4 });
  const del = unit(ops['user.delete'], { ...zero, wcu: 16 });
  const groupCreate = unit(ops['group.create'], { ...zero, wcu: 8 });
  const addMembers = unit(ops['group.patch.addMembers'], { ...zero, wcu: 22 });
  const membersPerPatch = 10;

  // Requests per month by kind, and which unit each costs.
  const groupLookups = profile.groups * a.fullSyncsPerMonth;
  const mix: [string, number, UnitCost, number][] = [
    ['user lookups (full cycles)', profile.users * a.fullSyncsPerMonth, lookup, 0],
    ['group lookups (full cycles)', groupLookups, lookup, 0],
    ['user updates', profile.users * a.monthlyUpdateRate, patch, 1],
    ['user creates (lookup + POST)', profile.users * a.monthlyJoinRate, { requests: create.requests + lookup.requests, rcu: create.rcu + lookup.rcu, wcu: create.wcu, ownCpuMs: create.ownCpuMs + lookup.ownCpuMs }, 1],
    ['user deactivations', profile.users * a.monthlyLeaveRate, deactivate, 1],
    ['user deletes', profile.users * a.monthlyLeaveRate, del, 1],
    ['group creates', profile.groups * a.monthlyJoinRate, groupCreate, 1],
    ['membership PATCHes (10 members)', (profile.memberships * a.monthlyMembershipChurn) / membersPerPatch, addMembers, membersPerPatch],
  ];
  const httpRequests = mix.reduce((n, [, count, u]) => n + count * (u === mix[3][2] ? 2 : 1), 0);
  const rcu = mix.reduce((n, [, count, u]) => n + count * u.rcu, 0);
  const wcu = mix.reduce((n, [, count, u, gsi]) => n + count * (u.wcu + gsi * a.gsiWriteUnitsPerWrite), 0);
  const billedMs = mix.reduce((n, [, count, u]) => n + count * Math.max(1, Math.ceil(u.ownCpuMs * a.cpuScale + u.requests * a.dynamoRoundTripMs)), 0);

  const cycles = a.fullSyncsPerMonth + a.incrementalCyclesPerMonth;
  const coldStarts = cycles * a.coldStartsPerCycle;
  const initBilledMs = coldStarts * ((initMs.users + initMs.groups + initMs.authorizer) / 3) * a.initScale;
  const busySeconds = httpRequests / a.idpRequestsPerSecond;
  const authorizerRuns = Math.min(httpRequests, cycles + busySeconds / a.authorizerCacheSeconds);
  const authorizerMs = authorizerRuns * 5;
  const gb = a.memoryMb / 1024;
  const storageGb = (profile.users * a.userBytes + profile.memberships * a.membershipBytes + profile.groups * a.groupBytes) / 1e9;

  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unitName: string, unitUsd: number, basis: string) =>
    lines.push({ item, quantity: Math.round(quantity * 1000) / 1000, unit: unitName, unitUsd, monthlyUsd: Math.round(quantity * unitUsd * 10_000) / 10_000, basis });
  add('API Gateway REST requests', httpRequests / 1e6, 'million requests', PRICES.apiGateway.restPerMillionRequests, mix.map(([k, n]) => `${k} ${Math.round(n)}`).join('; '));
  add('Lambda requests', (httpRequests + authorizerRuns) / 1e6, 'million requests', PRICES.lambda.perMillionRequests, `${Math.round(authorizerRuns)} authorizer runs (cache ${a.authorizerCacheSeconds} s)`);
  add('Lambda duration (requests)', ((billedMs + authorizerMs) / 1000) * gb, 'GB-second', PRICES.lambda.arm64PerGbSecond, `own CPU × ${a.cpuScale.toFixed(2)} + ${a.dynamoRoundTripMs} ms per DynamoDB call, ${a.memoryMb} MB`);
  add('Lambda INIT (billed)', (initBilledMs / 1000) * gb, 'GB-second', PRICES.lambda.arm64PerGbSecond, `${coldStarts} cold starts (${cycles} cycles × ${a.coldStartsPerCycle}), local init CPU × ${a.initScale.toFixed(2)}`);
  add('DynamoDB write request units', wcu / 1e6, 'million WRU', PRICES.dynamodb.perMillionWriteUnits, 'AWS-priced per operation (bench), + GSI replication');
  add('DynamoDB read request units', rcu / 1e6, 'million RRU', PRICES.dynamodb.perMillionReadUnits, 'AWS-priced per operation (bench)');
  add('DynamoDB storage', storageGb, 'GB-month', PRICES.dynamodb.storagePerGbMonth, `${a.userBytes} B per user, ${a.membershipBytes} B per membership, ${a.groupBytes} B per group`);
  add('DynamoDB PITR', storageGb, 'GB-month', PRICES.dynamodb.pitrPerGbMonth, 'continuous backups of the table size');
  add('CloudWatch Logs ingestion', ((httpRequests * 2 + authorizerRuns) * a.logBytesPerRequest) / 1e9, 'GB', PRICES.cloudwatch.logsIngestionPerGb, `${a.logBytesPerRequest} B per invocation`);
  add('Secrets Manager API calls', (coldStarts + busySeconds / 60) / 1e4, '10,000 calls', PRICES.secretsManager.perTenThousandCalls, `authorizer reads the secret at cold start and each 60 s while busy (${Math.round(busySeconds / 3600)} busy hours at ${a.idpRequestsPerSecond} req/s)`);
  const variableUsd = lines.reduce((n, l) => n + l.monthlyUsd, 0);
  // Priced on the metric sets the template's functions are deployed with (metricsDetail), not every set.
  const fixed = fixedMonthlyCost(template, { metricSets: metricSetsOf(template) });
  const totalUsd = Math.round((variableUsd + fixed.totalUsd) * 100) / 100;
  return {
    profile,
    requestsPerMonth: Math.round(httpRequests),
    lines: [...lines, ...fixed.lines],
    variableUsd: Math.round(variableUsd * 100) / 100,
    fixedUsd: fixed.totalUsd,
    totalUsd,
    perThousandUsersUsd: Math.round((totalUsd / profile.users) * 1000 * 100) / 100,
  };
}

/** The published tenant sizes: 1,000, 10,000 and 100,000 users (1 group per 20 users, 5 memberships per user). */
export const TENANT_SIZES: readonly TenantProfile[] = [1_000, 10_000, 100_000].map((users) => ({ users, groups: users / 20, memberships: users * 5 }));

/** Prices' provenance, for the figures. */
export const PRICE_SOURCE = `AWS list prices, ${PRICES_REGION}, as of ${PRICES_AS_OF} (bench/costModel/prices.ts)`;
