import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pool, quantile } from './harness';
import { recordResponse } from './responseSizes';

/** A SCIM server the bench started (its own process), and how to reach and stop it. */
export interface ServerProcess {
  readonly baseUrl: string;
  readonly token: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const REPO = join(import.meta.dirname, '..');

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts the real `npm start` (tsx lambdas/local/start.ts: its own DynamoDB Local, table, token,
 * handlers and authorizer) on a free port with its data in `dataDir`; resolves once it prints
 * its Tenant URL and token. Stopped with SIGINT, as Ctrl-C stops it.
 */
export async function startNpmStart(dataDir: string): Promise<ServerProcess> {
  const child = spawn(join(REPO, 'node_modules', '.bin', 'tsx'), ['lambdas/local/start.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', SCIM_DATA_DIR: dataDir, SCIM_LOCAL_TOKEN: '', POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const found = await new Promise<{ baseUrl: string; token: string }>((resolve, reject) => {
    let baseUrl: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /Tenant URL:\s+(\S+)/.exec(line);
      if (url) baseUrl = url[1];
      const token = /Secret Token:\s+(\S+)/.exec(line);
      if (token && baseUrl) resolve({ baseUrl, token: token[1] });
    });
    child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${stderr.slice(0, 400)}`)));
  });
  // Drain stdout from now on (request log lines at WARN are few).
  child.stdout?.resume();
  return {
    ...found,
    child,
    async stop() {
      child.kill('SIGINT');
      await waitExit(child, 10_000);
    },
  };
}

/** A counting server (bench/countingServer.ts): the same local tenant, with DynamoDB counts on IPC. */
export interface CountingServer extends ServerProcess {
  counts(): Promise<{ requests: number; byCommand: Record<string, number>; readUnits: number; writeUnits: number; itemWrites: number; scans: number; readUnitsAwsPriced: number; writeUnitsAwsPriced: number }>;
}

/** Starts bench/countingServer.ts in its own process. */
export async function startCountingServer(dataDir: string): Promise<CountingServer> {
  const child = fork(join(import.meta.dirname, 'countingServer.ts'), [], {
    cwd: REPO,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SCIM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const found = await new Promise<{ baseUrl: string; token: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as { baseUrl: string; token: string });
    });
    child.once('exit', (code) => reject(new Error(`counting server exited ${code}: ${stderr.slice(0, 400)}`)));
  });
  child.stdout?.resume();
  return {
    ...found,
    child,
    counts: () =>
      new Promise((resolve) => {
        child.once('message', (m: { counts: Awaited<ReturnType<CountingServer['counts']>> }) => resolve(m.counts));
        child.send('counts');
      }),
    async stop() {
      child.send('stop');
      await waitExit(child, 10_000);
    },
  };
}

/** What a counting server counted over a phase (CountingServer.counts() after minus before). */
export interface DynamoDelta {
  readonly dynamodbRequests: number;
  /** Calls by command, `Command` dropped from the names (`GetItem`, `TransactWriteItems`). */
  readonly dynamodbByCommand: Record<string, number>;
  readonly readUnitsAwsPriced: number;
  readonly writeUnitsAwsPriced: number;
  readonly itemWrites: number;
}

type Counts = Awaited<ReturnType<CountingServer['counts']>>;

function countsDelta(after: Counts, before: Counts): DynamoDelta {
  const byCommand: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byCommand)) if (v - (before.byCommand[k] ?? 0) > 0) byCommand[k.replace(/Command$/, '')] = v - (before.byCommand[k] ?? 0);
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    dynamodbRequests: after.requests - before.requests,
    dynamodbByCommand: byCommand,
    readUnitsAwsPriced: r(after.readUnitsAwsPriced - before.readUnitsAwsPriced),
    writeUnitsAwsPriced: r(after.writeUnitsAwsPriced - before.writeUnitsAwsPriced),
    itemWrites: after.itemWrites - before.itemWrites,
  };
}

/**
 * The HTTP driving loop of the closed-loop scenarios (initialSync, bulkVersusSingle): `step` for
 * every item, `concurrency` in flight (an IdP's parallel workers), against a counting server;
 * returns the wall seconds (to 0.1 s) and what DynamoDB did meanwhile.
 */
export async function countedPhase<T>(server: CountingServer, items: readonly T[], concurrency: number, step: (item: T) => Promise<void>): Promise<{ seconds: number } & DynamoDelta> {
  const before = await server.counts();
  const started = performance.now();
  await pool([...items], concurrency, (item) => step(item));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  return { seconds, ...countsDelta(await server.counts(), before) };
}

/** One HTTP request of a load run. */
export interface LoadRequest {
  readonly method: string;
  /** Below the base URL, e.g. `/Users?filter=...`. */
  readonly path: string;
  readonly body?: unknown;
}

/** What one request got. */
export interface LoadReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly ms: number;
  /** Set when the connection failed (reset, refused, timeout): a dropped request. */
  readonly error?: string;
}

/** An HTTP client of one server with keep-alive connections (as IdPs keep theirs). */
export function scimClient(server: { baseUrl: string; token: string }, maxSockets = 256) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(server.baseUrl);
  const send = (req: LoadRequest, timeoutMs = 30_000): Promise<LoadReply> =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const r = httpRequest(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: req.method,
          path: `${base.pathname.replace(/\/$/, '')}${req.path}`,
          headers: {
            Authorization: `Bearer ${server.token}`,
            Accept: 'application/scim+json',
            ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            // What Lambda counted for it, near enough: the proxy result with the body as an escaped string.
            recordResponse(Buffer.byteLength(JSON.stringify({ statusCode: res.statusCode, headers: { 'Content-Type': res.headers['content-type'] }, body })));
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: ms() });
          });
          res.on('error', (e) => resolve({ status: 0, headers: {}, body: '', ms: ms(), error: e.message }));
        },
      );
      r.on('timeout', () => r.destroy(new Error('timeout')));
      r.on('error', (e) => resolve({ status: 0, headers: {}, body: '', ms: ms(), error: (e as NodeJS.ErrnoException).code ?? e.message }));
      if (payload) r.write(payload);
      r.end();
    });
  return { send, close: () => agent.destroy() };
}

/** Figures of an open-loop run. */
export interface OpenLoopFigures {
  readonly offeredRps: number;
  readonly seconds: number;
  readonly sent: number;
  readonly achievedRps: number;
  /** Latency from the scheduled send time (so a late generator or a queue shows), ms. */
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly byStatus: Record<string, number>;
  /** Connection failures (resets, refused, hang-ups): requests the server dropped. */
  readonly dropped: number;
  readonly droppedBy: Record<string, number>;
  /** Requests the generator gave up on after its 30 s timeout (not answered in time, not dropped). */
  readonly timedOut: number;
  /** 503 answers, and how many of them carried Retry-After. */
  readonly shed: number;
  readonly shedWithRetryAfter: number;
  /** Largest lag of the generator behind its schedule, ms (the generator shares the machine). */
  readonly generatorLagMs: number;
}

/**
 * Sends `next(i)` at a fixed arrival rate for `seconds` whatever the server's pace (an open loop:
 * a slow server builds a queue instead of slowing the generator), then waits for the answers.
 */
export async function openLoop(send: (r: LoadRequest) => Promise<LoadReply>, rate: number, seconds: number, next: (i: number) => LoadRequest): Promise<OpenLoopFigures> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const droppedBy: Record<string, number> = {};
  let shed = 0;
  let shedWithRetryAfter = 0;
  let lag = 0;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && started + (i * 1000) / rate <= now) {
        const scheduled = started + (i * 1000) / rate;
        lag = Math.max(lag, now - scheduled);
        const req = next(i);
        i += 1;
        pending.push(
          send(req).then((reply) => {
            latencies.push(performance.now() - scheduled);
            if (reply.error) droppedBy[reply.error] = (droppedBy[reply.error] ?? 0) + 1;
            else byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
            if (reply.status === 503) {
              shed += 1;
              if (reply.headers['retry-after'] !== undefined) shedWithRetryAfter += 1;
            }
          }),
        );
      }
      if (i >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    offeredRps: rate,
    seconds,
    sent: total,
    achievedRps: r(total / elapsed),
    p50Ms: r(quantile(latencies, 0.5)),
    p90Ms: r(quantile(latencies, 0.9)),
    p99Ms: r(quantile(latencies, 0.99)),
    maxMs: r(Math.max(0, ...latencies)),
    byStatus,
    dropped: Object.entries(droppedBy).filter(([k]) => k !== 'timeout').reduce((a, [, b]) => a + b, 0),
    droppedBy,
    timedOut: droppedBy.timeout ?? 0,
    shed,
    shedWithRetryAfter,
    generatorLagMs: r(lag),
  };
}
