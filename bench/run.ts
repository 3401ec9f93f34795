import './env';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startBench, progress, type OperationResult } from './harness';
import { checkTargets, writeResults, type BenchResults } from './report';
import { fillRetries, seedUserItems, seedUsers } from './scenarios/seed';
import { userListing, userOperations } from './scenarios/users';
import { groupOperations } from './scenarios/groups';
import { addMembersScaling, largeGroupRead, type ScalingPoint } from './scenarios/scaling';
import type { BenchScenario, ScenarioResult } from './scenario';
import { bundlesScenario } from './scenarios/bundles';
import { coldInitScenario } from './scenarios/coldInit';
import { throughputScenario } from './scenarios/throughput';
import { initialSyncScenario } from './scenarios/initialSync';
import { costModelOf } from './costModel/costModelReport';
import { indexedQueriesScenario } from './scenarios/indexedQueries';
import { poolScenario } from './scenarios/pool';
import { bulkVersusSingleScenario } from './scenarios/bulkVersusSingle';
import { largestResponse, takeLargestResponse, type LargestResponse } from './responseSizes';
import { changeFeedScenario } from './scenarios/changeFeed';

/**
 * Scenarios beyond the per-operation table, run in this order after it. To add one: a file under
 * bench/scenarios/ exporting a BenchScenario, and one line here. Its figures land in latest.json
 * under its name, its targets in the targets table, its Markdown in latest.md.
 */
const SCENARIOS: BenchScenario[] = [bundlesScenario, coldInitScenario, throughputScenario, initialSyncScenario, indexedQueriesScenario, poolScenario, bulkVersusSingleScenario, changeFeedScenario];

/**
 * `npm run bench [-- --quick] [-- --out dir] [-- --only a,b] [-- --skip a,b] [-- --sizes 0,10000]
 * [-- --fast-seed] [-- --iterations n]`: every SCIM user and group operation through the real
 * handlers on DynamoDB Local, counted by a middleware on the DynamoDB client, then the SCENARIOS;
 * writes <out>/latest.json and <out>/latest.md (default bench/results). `--only` runs just the
 * named scenarios (`operations` is the per-operation table, `costModel` the tenant cost), `--skip`
 * all but them. `--sizes` replaces the scaling run's group sizes, `--fast-seed` seeds its users
 * with BatchWrite in a full run too, `--iterations` sets the samples per operation: they shorten a
 * full run (see bench/README.md for its duration) without changing what is measured per request.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const listArg = (flag: string): string[] | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? (args[i + 1] ?? '').split(',').filter(Boolean) : undefined;
};
const only = listArg('--only') ? new Set(listArg('--only')) : undefined;
const skip = new Set(listArg('--skip') ?? []);
const runs = (name: string) => (!only || only.has(name)) && !skip.has(name);
/** Seed the scaling run's users with store.createUser even in --quick (slow: ~140 users/s on DynamoDB Local). */
const seedWithStore = (!quick && !args.includes('--fast-seed')) || args.includes('--seed-with-store');
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(import.meta.dirname, 'results');
const sizesArg = listArg('--sizes')?.map(Number);
if (sizesArg && (sizesArg.length < 2 || sizesArg.some((n) => !Number.isInteger(n) || n < 0))) throw new Error('--sizes takes at least two group sizes, e.g. --sizes 0,10000,100000');
const iterationsArg = listArg('--iterations')?.map(Number)[0];
if (iterationsArg !== undefined && !(Number.isInteger(iterationsArg) && iterationsArg >= 10)) throw new Error('--iterations takes an integer of at least 10');

// Listing sweeps: `user.list.page.first` and `.last` get one sample per sweep, so enough sweeps for
// their median to be a median. The first sweep is also where V8 optimizes the page code (TurboFan
// compiles projection and ordering on helper threads, whose CPU the process figure counts): a cost
// a container pays once, which shows in the p90, not in a median of one sample.
const MODE = {
  ...(quick
    ? { iterations: 25, listUsers: 1000, sweeps: 3, sizes: [0, 1_000, 10_000] }
    : { iterations: 100, listUsers: 1000, sweeps: 5, sizes: [0, 10_000, 100_000] }),
  ...(sizesArg ? { sizes: sizesArg } : {}),
  ...(iterationsArg ? { iterations: iterationsArg, listUsers: Math.max(1000, iterationsArg * 10) } : {}),
};

const ORDER = [
  'user.create',
  'user.get',
  'user.get.excludeGroups',
  'user.filter.userName',
  'user.filter.externalId',
  'user.filter.email',
  'user.patch',
  'user.put',
  'user.deactivate',
  'user.delete',
  'user.list.page',
  'user.list.page.first',
  'user.list.page.last',
  'user.list.page.excludeGroups',
  'user.list.cursor',
  'group.create',
  'group.get',
  'group.get.excludeMembers',
  'group.patch.addMembers',
  'group.patch.removeMembers',
  'group.replaceMembers',
  'user.delete.in4Groups',
  'group.delete',
];

async function main(): Promise<void> {
  const runStarted = Date.now();
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings[name] = Math.round((Date.now() - t) / 100) / 10;
    }
  };
  progress(`${quick ? 'quick' : 'full'} run: ${MODE.iterations} iterations per operation, scaling sizes ${MODE.sizes.join(', ')}`);
  const bench = await phase('startDynamoLocal', () => startBench({ quick }));
  const cache = join(import.meta.dirname, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  // Inside the project, so bundles and servers resolve node_modules as deployed code does.
  const workDir = mkdtempSync(join(cache, 'scim-bench-'));
  try {
    const ops: Record<string, OperationResult & { groupSize?: number }> = {};
    let points: Record<string, ScalingPoint> = {};
    // The largest answer of each scenario against Lambda's 6 MB (issue: every response fits).
    const largestResponses: Record<string, LargestResponse | undefined> = {};
    takeLargestResponse();
    if (runs('operations')) {
      const pool = await phase('seedListUsers', () => seedUsers(bench, 'pool', 0, MODE.listUsers));
      Object.assign(ops, await phase('userOperations', () => userOperations(bench, MODE.iterations)));
      Object.assign(ops, await phase('userListing', () => userListing(bench, MODE.sweeps)));
      Object.assign(ops, await phase('groupOperations', () => groupOperations(bench, MODE.iterations, pool)));
      const needed = Math.max(...MODE.sizes) + 1000 - pool.length;
      progress(`seeding ${needed} more users for the scaling run (${seedWithStore ? 'store.createUser' : 'BatchWrite of user items'})`);
      const more = await phase('seedScalingUsers', () =>
        seedWithStore ? seedUsers(bench, 'scale', pool.length, needed) : seedUserItems(bench, 'scale', pool.length, needed),
      );
      const users = [...pool, ...more];
      const scaling = await phase('scaling', () => addMembersScaling(bench, MODE.sizes, users));
      points = scaling.points;
      ops['group.get.excludeMembers'] = await phase('largeGroupRead', () => largeGroupRead(bench, scaling.largest, MODE.iterations));
      largestResponses.operations = largestResponse(takeLargestResponse());
    }
    const scenarioResults: Record<string, ScenarioResult> = {};
    for (const scenario of SCENARIOS.filter((sc) => runs(sc.name))) {
      progress(`scenario ${scenario.name}`);
      try {
        takeLargestResponse();
        scenarioResults[scenario.name] = await phase(scenario.name, () => scenario.run({ quick, bench, workDir }));
        largestResponses[scenario.name] = largestResponse(takeLargestResponse());
      } catch (e) {
        // One broken scenario must not lose the others' figures: record why it has none.
        progress(`scenario ${scenario.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        scenarioResults[scenario.name] = { figures: { error: e instanceof Error ? e.message : String(e) }, targets: { [scenario.name]: { target: `${scenario.name} runs`, measured: `failed: ${e instanceof Error ? e.message : String(e)}`, pass: false } } };
      }
    }
    // The cost of a tenant, from the units measured above and the synthesized template.
    if (runs('costModel') && Object.keys(ops).length > 0) {
      scenarioResults.costModel = await phase('costModel', async () => costModelOf(ops, scenarioResults.coldInitMs?.figures));
    }
    timings.total = Math.round((Date.now() - runStarted) / 100) / 10;

    const operations = Object.fromEntries([...ORDER.filter((k) => ops[k]), ...Object.keys(ops).filter((k) => !ORDER.includes(k))].map((k) => [k, ops[k]]));
    const partial = { operations, scans: bench.meter.scans, scaling: { addMembers: points } };
    const ownCpuMs = Object.fromEntries(Object.entries(operations).map(([k, o]) => [k, { median: o.ownCpuMs, p90: o.ownCpuP90Ms }]));
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      ...(only ? { only: [...only] } : {}),
      ...(skip.size ? { skipped: [...skip] } : {}),
      settings: { iterations: MODE.iterations, scalingSizes: MODE.sizes, scalingSeed: seedWithStore ? 'store.createUser' : 'BatchWrite' },
      environment: {
        node: process.version,
        cpus: cpus().length,
        platform: `${process.platform}-${process.arch}`,
        dynamodb: 'DynamoDB Local (in memory)',
        loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100),
      },
      ...partial,
      ownCpuMs,
      largestResponses,
      ...Object.fromEntries(Object.entries(scenarioResults).map(([k, r]) => [k, r.figures])),
      targets: {
        ...(runs('operations') ? checkTargets(partial) : {}),
        ...Object.assign({}, ...Object.values(scenarioResults).map((r) => r.targets ?? {})),
      },
      timings,
      notes: [
        'RCU/WCU: as DynamoDB Local reports ConsumedCapacity (TOTAL, table only). "AWS" columns apply AWS pricing: TransactWriteItems 2 WCU per started KB per action, TransactGetItems 2 RCU per started 4 KB per item; GSI write replication not included.',
        `Largest Put item in a transaction: ${bench.meter.maxTransactPutBytes} bytes (Update/Delete/ConditionCheck actions are priced as items under 1 KB).`,
        'DynamoDB Local\'s WCU for TransactWriteItems does not follow the number of items (e.g. 4 for an 11-item transaction): read the WCU (AWS) column for transactional writes.',
        'user.* operations run on users in no group. The User `groups` attribute is returned only when requested, so user.get and list pages read no reverse index; the .excludeGroups variants (excludedAttributes=groups) check that.',
        `Scaling users seeded with ${seedWithStore ? 'store.createUser (markers, counter)' : 'BatchWrite of user resource items (no markers; --seed-with-store for store.createUser)'}; memberships built with store.updateGroup (add, chunks of 98, 4 in parallel; ${fillRetries.count} chunks retried after contention on the group).`,
        'group.delete deletes groups of 10 members; group.replaceMembers swaps 10 members for 10 others per PATCH (Okta replace); group.patch.* add or remove 10 members per PATCH (Entra batch).',
        'ownCpuMs: handler wall time minus the time any DynamoDB call of the request was in flight (document client send: marshalling, HTTP, DynamoDB Local): our validation, PATCH, projection, ordering and serialization. Medians over the iterations, on a machine shared with other work.',
        ...Object.values(scenarioResults).flatMap((r) => r.notes ?? []),
      ],
      markdown: Object.fromEntries(Object.entries(scenarioResults).filter(([, r]) => r.markdown).map(([k, r]) => [k, r.markdown!])),
    };
    writeResults(results, join(outDir, 'latest.json'), join(outDir, 'latest.md'));
    const failed = Object.entries(results.targets).filter(([, t]) => !t.pass);
    progress(`done in ${timings.total} s; wrote ${join(outDir, 'latest.json')} and latest.md; targets failing: ${failed.map(([k]) => k).join(', ') || 'none'}`);
    if (Object.keys(operations).length) {
      console.table(Object.fromEntries(Object.entries(operations).map(([k, o]) => [k, { requests: o.requests, RCU: o.readUnits, WCU: o.writeUnits, 'WCU(AWS)': o.writeUnitsAwsPriced, medianMs: o.medianMs, ownCpuMs: o.ownCpuMs }])));
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await bench.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
