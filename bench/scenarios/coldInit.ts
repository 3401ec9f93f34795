import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCIM_FUNCTION_NAMES } from '../../lib/ScimFunctions';
import { progress, quantile } from '../harness';
import type { BenchScenario } from '../scenario';
import { buildBundles } from './bundles';

/** Cold-init target of issue 17: every function's init within 15 ms of the floor's (medians). */
export const MAX_INIT_OVER_FLOOR_MS = 15;

/** One function's cold starts over fresh processes. */
export interface ColdInitFigures {
  readonly processes: number;
  /**
   * CPU ms of loading the bundle (module init, what Lambda's INIT phase runs), user + system.
   * CPU rather than wall time: on a shared machine wall time measures the other tenants.
   */
  readonly median: number;
  readonly p90: number;
  /** Wall-clock ms of the same (noisy when the machine is loaded). */
  readonly wall: { readonly median: number; readonly p90: number };
  /** CPU ms of init plus the first request (clients created lazily, first DynamoDB call on DynamoDB Local). */
  readonly initPlusFirstRequest: { readonly median: number; readonly p90: number };
  /** Status of the first request (checked, so a broken bundle cannot look fast). */
  readonly firstStatus: string;
}

// Runs in a fresh `node` per sample: times require() of the bundle, then its first invocation,
// and reports on fd 3 (stdout/stderr carry the function's own logs, discarded).
const CHILD = `
const { performance } = require('node:perf_hooks');
const { writeSync } = require('node:fs');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu();
const t0 = performance.now();
const mod = require(process.argv[2]);
const t1 = performance.now();
const c1 = cpu();
const context = { awsRequestId: 'cold', functionName: 'cold', getRemainingTimeInMillis: () => 10000 };
Promise.resolve()
  .then(() => mod.handler(JSON.parse(process.env.COLD_EVENT), context))
  .then((r) => String(r && r.statusCode !== undefined ? r.statusCode : r && r.policyDocument ? 'policy' : 'ok'), (e) => 'threw ' + e.message)
  .then((status) => {
    writeSync(3, JSON.stringify({ initMs: c1 - c0, firstMs: cpu() - c1, initWallMs: t1 - t0, firstWallMs: performance.now() - t1, status }));
    process.exit(0);
  });
`;

/** The first request each function gets in the measurement: what an IdP's first call would be. */
function firstEvent(fn: string, i: number): { event: unknown; expect: string } {
  const proxy = (method: string, path: string, query: Record<string, string> | null, body?: unknown) => ({
    httpMethod: method,
    path: `/scim/v2${path}`,
    headers: body ? { 'Content-Type': 'application/scim+json' } : {},
    body: body ? JSON.stringify(body) : null,
    isBase64Encoded: false,
    queryStringParameters: query,
    requestContext: { requestId: `cold-${i}`, domainName: 'bench.local', path: `/bench/scim/v2${path}`, authorizer: { scopes: 'scim:read scim:write', tenant: 'bench', tokenId: 'tok_bench' } },
  });
  switch (fn) {
    case 'users':
    case 'users+sourceMaps':
      return { event: proxy('GET', '/Users', { filter: `userName eq "cold-${i}@example.com"` }), expect: '200' };
    case 'groups':
      return { event: proxy('GET', '/Groups', { filter: `displayName eq "cold-${i}"` }), expect: '200' };
    case 'discovery':
      return { event: proxy('GET', '/ServiceProviderConfig', null), expect: '200' };
    case 'bulk':
      return {
        event: proxy('POST', '/Bulk', null, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `cold-bulk-${i}-${Date.now()}@example.com` } }],
        }),
        expect: '200',
      };
    case 'authorizer':
      // No token: denied before the secret is read (no Secrets Manager offline).
      return { event: { type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:000000000000:api/prod/GET/scim/v2/Users', headers: {} }, expect: 'threw Unauthorized' };
    default:
      return { event: {}, expect: fn === 'floor' ? '200' : 'ok' };
  }
}

function runChild(script: string, bundle: string, env: NodeJS.ProcessEnv): Promise<{ initMs: number; firstMs: number; initWallMs: number; firstWallMs: number; status: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, bundle], { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!out) reject(new Error(`cold start of ${bundle} exited ${code} without a result: ${err.slice(0, 400)}`));
      else resolve(JSON.parse(out) as { initMs: number; firstMs: number; initWallMs: number; firstWallMs: number; status: string });
    });
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * `coldInitMs.<fn>`: each function bundled as deployed, loaded in fresh `node` processes (≥ 15,
 * round-robin over the functions so machine load hits all alike), timing module init and init
 * plus a first request on DynamoDB Local; `floor` only creates the DynamoDB document client;
 * `users+sourceMaps` is users with `--enable-source-maps` (the tenant's sourceMaps switch).
 */
export const coldInitScenario: BenchScenario = {
  name: 'coldInitMs',
  async run({ quick, bench, workDir }) {
    const processes = quick ? 15 : 25;
    const { dir } = await buildBundles(workDir);
    const script = join(workDir, 'coldChild.cjs');
    writeFileSync(script, CHILD);
    const variants = ['floor', ...SCIM_FUNCTION_NAMES, 'users+sourceMaps'];
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TENANT: 'bench',
      TABLE_NAME: bench.tableName,
      DYNAMODB_ENDPOINT: bench.endpoint,
      SCIM_CONFIG: '{}',
      SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:scim/bench/tokens',
      POWERTOOLS_SERVICE_NAME: 'serverless-scim',
      // As deployed: metrics and request logs on (their output is discarded).
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const samples = new Map<string, { initMs: number; firstMs: number; initWallMs: number; firstWallMs: number; status: string }[]>(variants.map((v) => [v, []]));
    for (let i = 0; i < processes; i++) {
      for (const variant of variants) {
        const fn = variant.replace('+sourceMaps', '');
        const { event, expect } = firstEvent(variant, i);
        const env = { ...baseEnv, COLD_EVENT: JSON.stringify(event), ...(variant.endsWith('+sourceMaps') ? { NODE_OPTIONS: '--enable-source-maps' } : {}) };
        const r = await runChild(script, join(dir, `${fn}.js`), env);
        if (r.status !== expect) throw new Error(`cold start of ${variant}: first request gave ${r.status}, expected ${expect}`);
        samples.get(variant)!.push(r);
      }
      if ((i + 1) % 5 === 0) progress(`cold starts: ${i + 1}/${processes} rounds`);
    }
    const figures: Record<string, ColdInitFigures | number> = {};
    for (const [variant, list] of samples) {
      const init = list.map((s) => s.initMs);
      const total = list.map((s) => s.initMs + s.firstMs);
      const wall = list.map((s) => s.initWallMs);
      figures[variant] = {
        processes: list.length,
        median: round(quantile(init, 0.5)),
        p90: round(quantile(init, 0.9)),
        wall: { median: round(quantile(wall, 0.5)), p90: round(quantile(wall, 0.9)) },
        initPlusFirstRequest: { median: round(quantile(total, 0.5)), p90: round(quantile(total, 0.9)) },
        firstStatus: list[0].status,
      };
    }
    const floor = figures.floor as ColdInitFigures;
    const fns = SCIM_FUNCTION_NAMES.map((n) => [n, figures[n] as ColdInitFigures] as const);
    const over = (f: ColdInitFigures) => round(f.median - floor.median);
    const overFirst = (f: ColdInitFigures) => round(f.initPlusFirstRequest.median - floor.initPlusFirstRequest.median);
    const markdown = [
      'CPU milliseconds (user + system) of fresh processes; wall time for reference.',
      '',
      '| function | init median | init p90 | over floor | init + first request median | p90 | over floor | init wall median |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...[...samples.keys()].map((v) => {
        const f = figures[v] as ColdInitFigures;
        return `| \`${v}\` | ${f.median} | ${f.p90} | ${v === 'floor' ? '—' : over(f)} | ${f.initPlusFirstRequest.median} | ${f.initPlusFirstRequest.p90} | ${v === 'floor' ? '—' : overFirst(f)} | ${f.wall.median} |`;
      }),
    ].join('\n');
    return {
      figures: { ...figures, floorMedian: floor.median },
      markdown,
      targets: {
        coldInit: {
          target: `every function's init median within ${MAX_INIT_OVER_FLOOR_MS} ms of the floor (CPU ms, ${processes} fresh processes each)`,
          measured: `floor ${floor.median} ms; ${fns.map(([n, f]) => `${n} +${over(f)}`).join(', ')} ms (init + first request: ${fns.map(([n, f]) => `${n} +${overFirst(f)}`).join(', ')} ms)`,
          pass: fns.every(([, f]) => over(f) <= MAX_INIT_OVER_FLOOR_MS),
        },
      },
      notes: [
        `Cold starts: ${processes} fresh \`node ${process.version}\` processes per function (Lambda runs nodejs22.x), round-robin; init = require() of the bundle; the first request goes to DynamoDB Local. Machine shared with other work: compare with the floor measured in the same rounds.`,
      ],
    };
  },
};
