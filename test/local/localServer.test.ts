import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from 'aws-lambda';
import { EVICT_IDLE_AFTER_MS, startLocalServer, type LocalFunctions, type LocalServer, type ProxyHandler, type RequestAuthorizer } from '../../lambdas/local/localServer';
import type { LocalLimitsInput } from '../../lambdas/local/localLimits';
import { AWS_LIMITS } from '../../lambdas/local/localLimits';
import {
  AUTHORIZER_FAILURE,
  INTEGRATION_FAILURE,
  INTEGRATION_TIMEOUT,
  REQUEST_TOO_LARGE,
} from '../../lambdas/contracts/gatewayResponses';
import { EXTRA_GATEWAY_RESPONSES } from '../../lib/scimGatewayResponses';
import {
  API_GATEWAY_INTEGRATION_TIMEOUT_MS,
  API_GATEWAY_MAX_REQUEST_BYTES,
  FUNCTION_TIMEOUT_SECONDS,
  LAMBDA_MAX_RESPONSE_BYTES,
} from '../../lambdas/contracts/awsLimits';
import { serializedSize } from '../../lambdas/local/httpAdapter';

const allow: APIGatewayAuthorizerResult = {
  principalId: 'tok_test',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:local:000000000000:local/local/*' }] },
  context: { tokenId: 'tok_test', tenant: 'local', scopes: 'scim:read scim:write' },
};

const ok = (body: string): APIGatewayProxyResult => ({ statusCode: 200, headers: { 'Content-Type': 'application/scim+json' }, body });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(users: ProxyHandler, limits: LocalLimitsInput = {}, authorizer: RequestAuthorizer = async () => allow): Promise<LocalServer> {
  const functions: LocalFunctions = { users, groups: users, discovery: users };
  server = await startLocalServer({ port: 0, functions, authorizer, limits });
  return server;
}

async function get(s: LocalServer, path = '/Users', init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(`${s.baseUrl}${path}`, { headers: { Authorization: 'Bearer x' }, ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** A handler that answers 200 only once `release()` is called: it holds its slot as long as a test needs. */
function heldUntilReleased(): { handler: ProxyHandler; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { handler: async () => (await gate, ok('{}')), release };
}

/**
 * A GET (a PATCH with `body`) on a connection of its own, no agent: its status, or the socket
 * error's code when the connection failed, and the headers a shed answer carries.
 */
function onOwnConnection(s: LocalServer, body?: string): Promise<{ status: number | string; retryAfter?: string; connection?: string }> {
  const { port } = new URL(s.baseUrl);
  return new Promise((resolve) => {
    const headers = { Authorization: 'Bearer x', ...(body ? { 'Content-Type': 'application/scim+json', 'Content-Length': String(Buffer.byteLength(body)) } : {}) };
    httpRequest({ port: Number(port), host: '127.0.0.1', method: body ? 'PATCH' : 'GET', path: '/scim/v2/Users', headers, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], connection: res.headers.connection });
    })
      .on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? 'error' }))
      .end(body);
  });
}

/** A raw keep-alive connection that has been answered one GET (200) and now sits idle; `closed` settles when it closes. */
async function idleKeepAlive(s: LocalServer): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { port } = new URL(s.baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answered = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
  socket.write('GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\n\r\n');
  expect(await answered).toMatch(/^HTTP\/1\.1 200/);
  return { socket, closed };
}

describe('the local server enforces AWS limits from the stack constants', () => {
  it('uses the very numbers the stack deploys', () => {
    // Prepare / Act / Assess: the defaults are the shared constants, not copies.
    expect(AWS_LIMITS.maxResponseBytes).toBe(LAMBDA_MAX_RESPONSE_BYTES);
    expect(AWS_LIMITS.maxRequestBytes).toBe(API_GATEWAY_MAX_REQUEST_BYTES);
    expect(AWS_LIMITS.integrationTimeoutMs).toBe(API_GATEWAY_INTEGRATION_TIMEOUT_MS);
    expect(AWS_LIMITS.functionTimeoutMs.bulk).toBe(FUNCTION_TIMEOUT_SECONDS.bulk * 1000);
    // The bodies the local server answers are the ones the stack registers as gateway responses.
    for (const spec of [REQUEST_TOO_LARGE, AUTHORIZER_FAILURE, INTEGRATION_FAILURE, INTEGRATION_TIMEOUT]) expect(EXTRA_GATEWAY_RESPONSES).toContain(spec);
  });

  it('answers a result over the response payload limit with 502 and the INTEGRATION_FAILURE body', async () => {
    // Prepare: a limit of 10 KB and a handler returning a body just under it, which its JSON escaping pushes over.
    const limit = 10_000;
    const quotes = JSON.stringify({ v: '"'.repeat(4_900) });
    const result = ok(quotes);
    expect(Buffer.byteLength(quotes)).toBeLessThan(limit);
    expect(serializedSize(result)).toBeGreaterThan(limit);
    const s = await start(async () => result, { maxResponseBytes: limit });
    // Act
    const r = await get(s);
    // Assess: measured as Lambda measures it (the serialized proxy result), not the body alone.
    expect(r.status).toBe(502);
    expect(r.body).toBe(INTEGRATION_FAILURE.body);
    expect(r.headers.get('content-type')).toBe('application/scim+json');
  });

  it('passes a result just inside the response payload limit through untouched', async () => {
    // Prepare
    const limit = 10_000;
    const base = ok('');
    const body = 'a'.repeat(limit - serializedSize(base));
    const s = await start(async () => ok(body), { maxResponseBytes: limit });
    // Act
    const r = await get(s);
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toBe(body);
  });

  it('answers a request over the API Gateway payload limit with 413 before the authorizer runs', async () => {
    // Prepare
    let authorizerCalls = 0;
    const s = await start(async () => ok('{}'), { maxRequestBytes: 1_000 }, async () => (authorizerCalls++, allow));
    // Act
    const r = await get(s, '/Users', { method: 'POST', body: 'x'.repeat(1_001), headers: { Authorization: 'Bearer x', 'Content-Type': 'application/scim+json' } });
    // Assess
    expect(r.status).toBe(413);
    expect(r.body).toBe(REQUEST_TOO_LARGE.body);
    expect(authorizerCalls).toBe(0);
  });

  it('answers an event over the Lambda request payload limit with 413 without invoking the function', async () => {
    // Prepare: the body fits API Gateway's limit; the event wrapping it (headers, context) does not fit Lambda's.
    let invoked = false;
    const s = await start(async () => ((invoked = true), ok('{}')), { maxRequestBytes: 10_000, maxEventBytes: 5_000 });
    // Act
    const r = await get(s, '/Users', { method: 'POST', body: 'x'.repeat(4_900), headers: { Authorization: 'Bearer x', 'Content-Type': 'application/scim+json' } });
    // Assess
    expect(r.status).toBe(413);
    expect(invoked).toBe(false);
  });

  it('answers a function that runs past its timeout with 502, as API Gateway reports a function error', async () => {
    // Prepare: the function timeout is below the integration timeout, as in the stack.
    const s = await start(async () => (await sleep(2_000), ok('{}')), { functionTimeoutMs: { users: 100 }, integrationTimeoutMs: 1_000 });
    // Act
    const r = await get(s);
    // Assess
    expect(r.status).toBe(502);
    expect(r.body).toBe(INTEGRATION_FAILURE.body);
  });

  it('answers a function still running at the integration timeout with 504', async () => {
    // Prepare: a function allowed longer than the gateway waits.
    const s = await start(async () => (await sleep(2_000), ok('{}')), { functionTimeoutMs: { users: 5_000 }, integrationTimeoutMs: 100 });
    // Act
    const r = await get(s);
    // Assess
    expect(r.status).toBe(504);
    expect(r.body).toBe(INTEGRATION_TIMEOUT.body);
  });

  it('tells the handler how long it has left, counting down from its function timeout', async () => {
    // Prepare
    let remaining = -1;
    const s = await start(async (_event, context) => ((remaining = context.getRemainingTimeInMillis()), ok('{}')), { functionTimeoutMs: { users: 3_000 } });
    // Act
    await get(s);
    // Assess
    expect(remaining).toBeGreaterThan(2_000);
    expect(remaining).toBeLessThanOrEqual(3_000);
  });

  it("throttles a function past its reserved concurrency with 502, as API Gateway reports Lambda's throttle", async () => {
    // Prepare: two invocations of users may run at once; a third arrives while both are running.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { functionConcurrency: { users: 2 } });
    const first = [get(s), get(s)];
    await sleep(200);
    // Act
    const third = await get(s);
    release();
    const done = await Promise.all(first);
    const after = await get(s);
    // Assess: the throttled one gets the stack's INTEGRATION_FAILURE body; the cap frees as they end.
    expect(third.status).toBe(502);
    expect(third.body).toBe(INTEGRATION_FAILURE.body);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect(after.status).toBe(200);
  });

  it('answers a crashing function and a malformed result with 502', async () => {
    // Prepare
    const s = await start(async (event) => {
      if (event.path === '/scim/v2/Users/crash') throw new Error('boom');
      return { body: 'no status' } as unknown as APIGatewayProxyResult;
    });
    // Act
    const crash = await get(s, '/Users/crash');
    const malformed = await get(s, '/Users/malformed');
    // Assess
    expect([crash.status, malformed.status]).toEqual([502, 502]);
    expect(crash.body).not.toContain('boom');
  });

  it('answers 401 only for the authorizer\'s "Unauthorized", and 500 AUTHORIZER_FAILURE for any other failure or a timeout', async () => {
    // Prepare
    const s = await start(
      async () => ok('{}'),
      { functionTimeoutMs: { authorizer: 100 } },
      async (event) => {
        const header = (event.headers ?? {}).Authorization;
        if (header === 'Bearer bad') throw new Error('Unauthorized');
        if (header === 'Bearer slow') return sleep(1_000).then(() => allow);
        throw new Error('secret store down');
      },
    );
    // Act
    const bad = await get(s, '/Users', { headers: { Authorization: 'Bearer bad' } });
    const slow = await get(s, '/Users', { headers: { Authorization: 'Bearer slow' } });
    const broken = await get(s, '/Users', { headers: { Authorization: 'Bearer broken' } });
    // Assess
    expect(bad.status).toBe(401);
    expect([slow.status, broken.status]).toEqual([500, 500]);
    expect(broken.body).toBe(AUTHORIZER_FAILURE.body);
  });
});

describe('the local server protects itself from overload and slow clients', () => {
  it('answers requests beyond the in-flight cap with a SCIM 503 and Retry-After instead of dropping them', async () => {
    // Prepare: two slots, handlers that hold them until released.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { maxInFlight: 2, maxQueued: 0 });
    const held = [get(s), get(s)];
    await sleep(100);
    // Act
    const third = await get(s);
    release();
    const first = await Promise.all(held);
    // Assess
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(third.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    expect(first.map((r) => r.status)).toEqual([200, 200]);
    // The slots free again once answered.
    expect((await get(s)).status).toBe(200);
  });

  it('serves a request beyond the in-flight cap once a slot frees within the queue wait, instead of refusing it', async () => {
    // Prepare: one slot, held for 200 ms, and a wait of up to 2 s.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { maxInFlight: 1, maxQueued: 4, maxQueueWaitMs: 2_000 });
    const held = get(s);
    await sleep(100);
    // Act
    const queued = get(s);
    await sleep(100);
    release();
    // Assess: both served, in order, none refused
    expect((await held).status).toBe(200);
    expect((await queued).status).toBe(200);
  });

  it('answers a request still waiting for a slot after the queue wait with a SCIM 503 and Retry-After', async () => {
    // Prepare: one slot, held past the 300 ms wait.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { maxInFlight: 1, maxQueued: 4, maxQueueWaitMs: 300 });
    const held = get(s);
    await sleep(100);
    const started = Date.now();
    // Act
    const queued = await get(s);
    release();
    await held;
    // Assess
    expect(queued.status).toBe(503);
    expect(queued.headers.get('retry-after')).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('cuts off a request whose body arrives too slowly instead of holding the server', async () => {
    // Prepare: a 1 s whole-request timeout and a client that sends headers, then trickles nothing.
    const s = await start(async () => ok('{}'), { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 });
    const { port } = new URL(s.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nContent-Length: 100\r\n\r\n{');
    const started = Date.now();
    // Act
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    // Assess: the server answered 408 and closed within a few seconds, not minutes.
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers a connection beyond the connection cap with a SCIM 503 and Retry-After instead of resetting it, and serves again once others close', async () => {
    // Prepare: two idle sockets fill a cap of two.
    const s = await start(async () => ok('{}'), { maxConnections: 2 });
    const { port } = new URL(s.baseUrl);
    const open = () =>
      new Promise<ReturnType<typeof connect>>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
      });
    const idle = [await open(), await open()];
    await sleep(100);
    // Act
    const over = await onOwnConnection(s);
    const overWithBody = await onOwnConnection(s, JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }));
    for (const socket of idle) socket.destroy();
    await sleep(100);
    const served = await onOwnConnection(s);
    // Assess
    expect(over).toEqual({ status: 503, retryAfter: '1', connection: 'close' });
    expect(overWithBody).toEqual({ status: 503, retryAfter: '1', connection: 'close' });
    expect(served.status).toBe(200);
  });

  it('makes room at the connection cap by closing the connection idle longest, so a new connection is served while old ones sit in keep-alive', async () => {
    // Prepare: two keep-alive connections each served one request and now idle fill a cap of two
    // (an IdP's pool after a burst; they would hold the cap for the 65 s keep-alive).
    const s = await start(async () => ok('{}'), { maxConnections: 2 });
    const oldest = await idleKeepAlive(s);
    await sleep(20);
    const newer = await idleKeepAlive(s);
    await sleep(EVICT_IDLE_AFTER_MS + 100);
    let newerClosed = false;
    void newer.closed.then(() => (newerClosed = true));
    // Act: a third client connects
    const third = await fetch(`${s.baseUrl}/Users`, { headers: { Authorization: 'Bearer x' } });
    await third.text();
    // Assess: it is served, the connection idle longest made way, the other is still open.
    expect(third.status).toBe(200);
    await oldest.closed;
    expect(newerClosed).toBe(false);
    newer.socket.destroy();
  });

  it('never closes a connection idle only a moment to make room at the connection cap, since its client may be sending on it', async () => {
    // Prepare: a cap of one, held by a connection that has just been answered (a busy client's pool).
    const s = await start(async () => ok('{}'), { maxConnections: 1 });
    const { socket, closed: closing } = await idleKeepAlive(s);
    let closed = false;
    void closing.then(() => (closed = true));
    // Act: a newcomer at once
    const over = await fetch(`${s.baseUrl}/Users`, { headers: { Authorization: 'Bearer x' } });
    await over.text();
    // Assess: the newcomer is refused with an answer and the busy client's connection is untouched.
    expect(over.status).toBe(503);
    expect(closed).toBe(false);
    socket.destroy();
  });

  it('never closes a connection with a request in progress to make room at the connection cap', async () => {
    // Prepare: a cap of two, both connections waiting for their answer.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { maxConnections: 2 });
    const held = [get(s), get(s)];
    await sleep(100);
    // Act
    const over = await onOwnConnection(s);
    release();
    // Assess: the newcomer is refused with an answer; both held requests complete.
    expect(over).toEqual({ status: 503, retryAfter: '1', connection: 'close' });
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('keeps a request shed by the in-flight cap on its keep-alive connection once its body is read', async () => {
    // Prepare: one slot, held.
    const { handler, release } = heldUntilReleased();
    const s = await start(handler, { maxInFlight: 1, maxQueued: 0 });
    const held = get(s);
    await sleep(100);
    // Act: a PATCH with a body while the slot is taken
    const shed = await get(s, '/Users/u1', { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), headers: { Authorization: 'Bearer x', 'Content-Type': 'application/scim+json' } });
    release();
    await held;
    // Assess: answered 503 + Retry-After, and the connection is not closed under the client
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('connection')).not.toBe('close');
  });

  it('tells clients it keeps idle connections 65 s, longer than they keep theirs, so it never closes one under their next request', async () => {
    // Prepare
    const s = await start(async () => ok('{}'));
    // Act
    const reply = await get(s);
    // Assess: RFC 9110's Keep-Alive hint as Node sends it, from the limit in force
    expect(reply.headers.get('keep-alive')).toBe('timeout=65');
    expect(s.limits.keepAliveTimeoutMs).toBe(65_000);
  });
});
