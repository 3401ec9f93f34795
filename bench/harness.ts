import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoLocal, type DynamoLocal } from '../lambdas/local/dynamoLocal';
import { localContext } from '../lambdas/local/httpAdapter';
import { ScimStore, attachRequestCounter, createDynamoClients, createTable, type RequestCounter } from '../lambdas/store';
import { createDeps, type HandlerDeps } from '../lambdas/handlers/resources/deps';
import { createUsersHandler } from '../lambdas/handlers/users';
import { createGroupsHandler } from '../lambdas/handlers/groups';
import { attachPricingMeter, type PricingMeter } from './pricing';
import { recordResponse } from './responseSizes';

/** One handler call's answer, body parsed. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown> | undefined;
}

/** A request to one of the handlers. */
export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below /scim/v2, e.g. `/Users/123`. */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** What one measured iteration cost. */
export interface Sample {
  readonly requests: number;
  readonly byCommand: Record<string, number>;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly readUnitsAwsPriced: number;
  readonly writeUnitsAwsPriced: number;
  readonly itemWrites: number;
  readonly ms: number;
  /**
   * CPU this process spent in the handler outside the DynamoDB client (our own code): its CPU
   * time minus the CPU time while a DynamoDB call was in flight (samples run one at a time, so
   * that is the SDK's). CPU rather than wall time: the machine is shared, wall time is not ours.
   */
  readonly ownMs: number;
  /** The same in wall time (handler time minus time with a DynamoDB call in flight). */
  readonly ownWallMs: number;
}

/** Per-operation figures written to latest.json. */
export interface OperationResult {
  readonly iterations: number;
  /** Median DynamoDB API calls per SCIM operation (a transaction is one). */
  readonly requests: number;
  readonly requestsMin: number;
  readonly requestsMax: number;
  /** Calls by command of the most frequent call pattern. */
  readonly byCommand: Record<string, number>;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly readUnitsAwsPriced: number;
  readonly writeUnitsAwsPriced: number;
  /** Item-level writes requested (Put/Update/Delete, alone, batched or in a transaction). */
  readonly itemWrites: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** Median CPU time of the handler outside the DynamoDB client (see Sample.ownMs). */
  readonly ownCpuMs: number;
  readonly ownCpuP90Ms: number;
  /** Median of the same in wall time. */
  readonly ownWallMs: number;
}

/**
 * Wall time spent inside the document client's `send` (marshalling, signing, HTTP, DynamoDB
 * Local, unmarshalling), counting overlapping calls once: what is left of a handler's time is our
 * own code (validation, PATCH engine, projection, ordering, serialization).
 */
export interface DynamoClock {
  /** Milliseconds with at least one call in flight since the last reset. */
  readonly busyMs: number;
  /** CPU milliseconds of this process (user + system) while at least one call was in flight. */
  readonly busyCpuMs: number;
  reset(): void;
}

/** CPU time of this process so far (user + system), ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wraps `doc.send` with a {@link DynamoClock}. */
export function attachDynamoClock(doc: DynamoDBDocumentClient): DynamoClock {
  let inFlight = 0;
  let since = 0n;
  let busy = 0n;
  let cpuSince = 0;
  let cpuBusy = 0;
  const send = doc.send.bind(doc) as (...args: unknown[]) => Promise<unknown>;
  (doc as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = async (...args: unknown[]) => {
    if (inFlight++ === 0) {
      since = process.hrtime.bigint();
      cpuSince = cpuMs();
    }
    try {
      return await send(...args);
    } finally {
      if (--inFlight === 0) {
        busy += process.hrtime.bigint() - since;
        cpuBusy += cpuMs() - cpuSince;
      }
    }
  };
  return {
    get busyMs() {
      return Number(busy + (inFlight > 0 ? process.hrtime.bigint() - since : 0n)) / 1e6;
    },
    get busyCpuMs() {
      return cpuBusy + (inFlight > 0 ? cpuMs() - cpuSince : 0);
    },
    reset() {
      busy = 0n;
      cpuBusy = 0;
      if (inFlight > 0) {
        since = process.hrtime.bigint();
        cpuSince = cpuMs();
      }
    },
  };
}

/** The running benchmark: DynamoDB Local, the real handlers on a counted store, and helpers. */
export interface Bench {
  readonly quick: boolean;
  readonly store: ScimStore;
  /** The store's document client (counted) and table, for setup that bypasses the handlers. */
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** DynamoDB Local's endpoint, for child processes (cold starts) and servers the scenarios start. */
  readonly endpoint: string;
  readonly deps: HandlerDeps;
  readonly counter: RequestCounter;
  readonly meter: PricingMeter;
  /** Calls the Users or Groups handler (by path) with a proxy event as API Gateway builds it. */
  invoke(call: Call): Promise<Reply>;
  /** invoke, throwing unless the status is the expected one. */
  expect(status: number, call: Call): Promise<Reply>;
  /** Counts and times one operation; the callback does exactly one SCIM request. */
  sample(op: () => Promise<unknown>): Promise<Sample>;
  stop(): Promise<void>;
}

const TABLE = 'scim-bench';

function proxyEvent(call: Call): APIGatewayProxyEvent {
  const path = `/scim/v2${call.path}`;
  const headers: Record<string, string> = {
    Host: 'bench.local',
    'X-Forwarded-Proto': 'https',
    Accept: 'application/scim+json',
    ...(call.body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
    ...call.headers,
  };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: call.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: call.query && Object.keys(call.query).length ? call.query : null,
    multiValueQueryStringParameters: call.query && Object.keys(call.query).length ? Object.fromEntries(Object.entries(call.query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: call.body === undefined ? null : JSON.stringify(call.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      authorizer: { scopes: 'scim:read scim:write', tenant: 'bench', tokenId: 'tok_bench' },
      domainName: 'bench.local',
      httpMethod: call.method,
      identity: { sourceIp: '127.0.0.1', userAgent: 'scim-bench' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/bench${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'bench',
      resourcePath: '/{proxy+}',
      stage: 'bench',
    },
  };
}

/** Starts DynamoDB Local in memory, creates the table and builds the real handlers on a counted store. */
export async function startBench(options: { quick: boolean }): Promise<Bench> {
  const dynamo: DynamoLocal = await startDynamoLocal();
  try {
    const { client, doc } = createDynamoClients({ endpoint: dynamo.endpoint, region: 'us-east-1' });
    await createTable(client, TABLE);
    const counter = attachRequestCounter(doc);
    const meter = attachPricingMeter(doc);
    const clock = attachDynamoClock(doc);
    const store = new ScimStore({ doc, tableName: TABLE });
    const deps = createDeps(store, {});
    const users = createUsersHandler(deps);
    const groups = createGroupsHandler(deps);

    // Handler time outside DynamoDB, summed over the requests of one sample (the event is built
    // and the reply parsed outside the window: that is the bench's work, not the handler's).
    let ownMsTotal = 0;
    let ownWallMsTotal = 0;
    const invoke = async (call: Call): Promise<Reply> => {
      const handler = /^\/Groups/i.test(call.path) ? groups : users;
      const event = proxyEvent(call);
      const ctx = localContext('bench', event.requestContext.requestId);
      const busyBefore = clock.busyMs;
      const busyCpuBefore = clock.busyCpuMs;
      const t0 = process.hrtime.bigint();
      const cpu0 = cpuMs();
      const result = (await handler(event, ctx)) as APIGatewayProxyResult;
      ownMsTotal += Math.max(0, cpuMs() - cpu0 - (clock.busyCpuMs - busyCpuBefore));
      ownWallMsTotal += Math.max(0, Number(process.hrtime.bigint() - t0) / 1e6 - (clock.busyMs - busyBefore));
      // After the window: serializing the proxy result to size it is the bench's work (on a
      // 100-user page, a JSON.stringify of a ~60 KB body string), not the handler's.
      recordResponse(Buffer.byteLength(JSON.stringify(result)));
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const body = result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined;
      return { status: result.statusCode, headers, body };
    };
    const expectStatus = async (status: number, call: Call): Promise<Reply> => {
      const reply = await invoke(call);
      if (reply.status !== status) {
        throw new Error(`${call.method} ${call.path} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)?.slice(0, 400)}`);
      }
      return reply;
    };
    const sample = async (op: () => Promise<unknown>): Promise<Sample> => {
      counter.reset();
      meter.reset();
      ownMsTotal = 0;
      ownWallMsTotal = 0;
      const started = process.hrtime.bigint();
      await op();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const ownMs = ownMsTotal;
      const ownWallMs = ownWallMsTotal;
      const c = counter.counts;
      const aws = meter.totals();
      return {
        requests: c.requests,
        byCommand: { ...c.byCommand },
        readUnits: c.readUnits,
        writeUnits: c.writeUnits,
        readUnitsAwsPriced: aws.readUnitsAwsPriced,
        writeUnitsAwsPriced: aws.writeUnitsAwsPriced,
        itemWrites: c.itemWrites,
        ms,
        ownMs,
        ownWallMs,
      };
    };
    return {
      quick: options.quick,
      store,
      doc,
      tableName: TABLE,
      endpoint: dynamo.endpoint,
      deps,
      counter,
      meter,
      invoke,
      expect: expectStatus,
      sample,
      async stop() {
        client.destroy();
        await dynamo.stop();
      },
    };
  } catch (e) {
    await dynamo.stop();
    throw e;
  }
}

/** The q-quantile of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Per-operation results of a scenario, by operation name. */
export type Ops = Record<string, OperationResult>;

/**
 * A scenario's measuring loop: `run(name, body)` samples `body(i)` n times through the bench's
 * counter and stores the summary under `name` in `ops`.
 */
export function operationRunner(bench: Bench, n: number, ops: Ops) {
  return async (name: string, body: (i: number) => Promise<unknown>): Promise<void> => {
    const samples: Sample[] = [];
    for (let i = 0; i < n; i++) samples.push(await bench.sample(() => body(i)));
    ops[name] = summarise(samples);
    progress(`${name}: ${ops[name].requests} requests, ${ops[name].medianMs} ms median`);
  };
}

/** Summarises the samples of one operation: medians of counts and units, median and p90 of time. */
export function summarise(samples: Sample[]): OperationResult {
  const median = (f: (s: Sample) => number) => round(quantile(samples.map(f), 0.5));
  const patterns = new Map<string, { n: number; byCommand: Record<string, number> }>();
  for (const s of samples) {
    const key = JSON.stringify(Object.entries(s.byCommand).sort());
    const p = patterns.get(key) ?? { n: 0, byCommand: s.byCommand };
    p.n += 1;
    patterns.set(key, p);
  }
  const typical = [...patterns.values()].sort((a, b) => b.n - a.n)[0]?.byCommand ?? {};
  return {
    iterations: samples.length,
    requests: median((s) => s.requests),
    requestsMin: Math.min(...samples.map((s) => s.requests)),
    requestsMax: Math.max(...samples.map((s) => s.requests)),
    byCommand: Object.fromEntries(Object.entries(typical).sort()),
    readUnits: median((s) => s.readUnits),
    writeUnits: median((s) => s.writeUnits),
    readUnitsAwsPriced: median((s) => s.readUnitsAwsPriced),
    writeUnitsAwsPriced: median((s) => s.writeUnitsAwsPriced),
    itemWrites: median((s) => s.itemWrites),
    medianMs: round(quantile(samples.map((s) => s.ms), 0.5)),
    p90Ms: round(quantile(samples.map((s) => s.ms), 0.9)),
    ownCpuMs: round(quantile(samples.map((s) => s.ownMs), 0.5), 3),
    ownCpuP90Ms: round(quantile(samples.map((s) => s.ownMs), 0.9), 3),
    ownWallMs: round(quantile(samples.map((s) => s.ownWallMs), 0.5), 3),
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** Progress on stderr (stdout stays for the summary). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
