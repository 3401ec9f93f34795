import { SCIM_BASE, SCIM_CONTENT_TYPE } from '../contracts/scimApi';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { scimErrorBody } from '../scim/errors';
import { isValidAuthority } from '../http/request';
import { FEED_FUNCTIONS } from '../feed/streamSettings';
import { localContext, serializedSize, toProxyEvent, writeProxyResult } from './httpAdapter';
import { evaluatePolicy } from '../auth/evaluatePolicy';
import { ACCESS_DENIED_RESPONSE, THROTTLED_RESPONSE, UNAUTHORIZED_RESPONSE } from '../contracts/authGatewayResponses';
import { UNAUTHORIZED } from '../auth/createAuthorizer';
import { TOKEN_FUNCTION_TIMEOUT_SECONDS } from '../auth/oauth/constants';
import {
  AUTHORIZER_FAILURE,
  INTEGRATION_FAILURE,
  INTEGRATION_TIMEOUT,
  REQUEST_TOO_LARGE,
} from '../contracts/gatewayResponses';
import { OVERLOAD_RETRY_AFTER_SECONDS, resolveLocalLimits, type LocalLimits, type LocalLimitsInput } from './localLimits';

/** A Lambda proxy handler as the stack deploys it. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The REQUEST authorizer as the stack deploys it. */
export type RequestAuthorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/** The functions of one tenant stack, by concern. */
export interface LocalFunctions {
  readonly users: ProxyHandler;
  readonly groups: ProxyHandler;
  readonly discovery: ProxyHandler;
  readonly bulk?: ProxyHandler;
  /** GET /events (the change feed's pull API), outside /scim/v2 as on the stack's API. */
  readonly events?: ProxyHandler;
}

/** Options for {@link startLocalServer}. */
export interface LocalServerOptions {
  readonly functions: LocalFunctions;
  readonly authorizer: RequestAuthorizer;
  /** @default 8080 (0 picks a free port) */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /**
   * AWS's limits and the server's own protections, any subset (tests shrink them to exercise each).
   * @default AWS_LIMITS (lambdas/local/localLimits.ts): what a deployed stack enforces
   */
  readonly limits?: LocalLimitsInput;
  /**
   * POST /oauth2/token (issue 16), served like the stack's route: outside /scim/v2, without the
   * authorizer. @default - none (404, as in a stack with OAuth disabled)
   */
  readonly tokenEndpoint?: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  /**
   * Pooled mode (lambdas/pool): SCIM lives at `/t/<tenant>/scim/v2`, the management API at
   * `/manage/...` behind SigV4 (`verifyManagement`, as API Gateway's AWS_IAM authorization), and
   * each tenant has its own request rate (`allowTenant`, as the usage plan's per-key throttle).
   * @default - silo mode: SCIM at /scim/v2 only
   */
  readonly pool?: {
    readonly management: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
    readonly verifyManagement: (req: { method: string; url: URL; headers: Record<string, string>; body: string }) => Promise<boolean>;
    readonly allowTenant: (tenant: string) => boolean;
    /**
     * POST /t/<tenant>/oauth2/token, served like the pooled stack's route: no authorizer, the
     * token function's timeout, outside the tenant's usage plan. @default - none (404)
     */
    readonly tokenEndpoint?: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  };
}

/** A running local server. */
export interface LocalServer {
  /** e.g. http://127.0.0.1:8080/scim/v2 (pooled mode: tenants' URLs are `${origin}/t/<tenant>/scim/v2`) */
  readonly baseUrl: string;
  /** e.g. http://127.0.0.1:8080 */
  readonly origin: string;
  /** e.g. http://127.0.0.1:8080/oauth2/token (served only with `tokenEndpoint`). */
  readonly tokenUrl: string;
  readonly server: Server;
  /** The limits in force. */
  readonly limits: LocalLimits;
  close(): Promise<void>;
}

const SCIM_JSON = SCIM_CONTENT_TYPE;

/** A silo SCIM path, capturing what follows the base path. */
const SCIM_PATH = new RegExp(`^${SCIM_BASE}(/.*)?$`, 'i');

/** A pooled SCIM path (`/t/<tenant>/scim/v2...`): the URL names the tenant, the credential decides it. */
const POOL_SCIM_PATH = new RegExp(`^/t/[a-z0-9-]{1,40}${SCIM_BASE}(/.*)?$`, 'i');

/** Which function serves a path below /scim/v2, as the stack's API routes it. */
export function functionFor(path: string): keyof LocalFunctions | undefined {
  const first = path.split('/').filter(Boolean)[0]?.toLowerCase();
  switch (first) {
    case 'users':
    case '.search':
      return 'users';
    case 'groups':
      return 'groups';
    case 'bulk':
      return 'bulk';
    case 'serviceproviderconfig':
    case 'resourcetypes':
    case 'schemas':
      return 'discovery';
    default:
      return undefined;
  }
}

function errorResult(status: number, detail: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': SCIM_JSON, ...headers }, body: JSON.stringify(scimErrorBody(status, detail)) };
}

/** The same SCIM-shaped gateway responses the stack configures in API Gateway. */
function gatewayResult(response: { statusCode: number; headers: Readonly<Record<string, string>>; body: string }, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: response.statusCode, headers: { ...response.headers, ...extra }, body: response.body };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
  // A declared length over the limit is refused before a byte is read, as API Gateway does.
  if (Number(req.headers['content-length'] ?? 0) > limit) return 'tooLarge';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'tooLarge';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What a function invocation came to: its result, an error, or no answer before `ms`. */
type Outcome<T> = { kind: 'result'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

function within<T>(work: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  const settled = work.then(
    (value): Outcome<T> => ({ kind: 'result', value }),
    (error: unknown): Outcome<T> => ({ kind: 'error', error }),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Lambda's proxy-result contract as API Gateway checks it: an object with an integer statusCode,
 * string headers, a string body. Anything else is a "malformed Lambda proxy response" (502).
 */
function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<APIGatewayProxyResult>;
  return Number.isInteger(r.statusCode) && (r.body === undefined || r.body === null || typeof r.body === 'string');
}

/**
 * Serves the real handlers and the real authorizer over node:http, the way API Gateway and Lambda
 * would, with their limits (lambdas/local/localLimits.ts):
 * - a body over 10 MB: 413 before the authorizer; an event over Lambda's 6 MB: 413;
 * - the authorizer: a thrown `Unauthorized` is 401, a denying policy 403, any other error or a
 *   timeout 500 (AUTHORIZER_FAILURE);
 * - the function: a crash, a malformed result, a result over Lambda's 6 MB response payload
 *   (measured on the serialized proxy result) or its own timeout is 502 (INTEGRATION_FAILURE);
 *   no answer within the 29 s integration timeout is 504 (INTEGRATION_TIMEOUT); each with the
 *   body the stack's gateway response defines;
 * - unknown paths get a SCIM 404.
 * The process protects itself too: at most `maxInFlight` requests at once (the next ones wait for a
 * slot, at most `maxQueued` of them and `maxQueueWaitMs` each) and `maxConnections` connections
 * (at that cap the connection idle longest in keep-alive makes way for a new one); past these, SCIM
 * 503 with Retry-After, never a dropped connection; header and
 * whole-request timeouts, so slow bodies cannot hold the server, and idle keep-alive connections
 * kept longer than clients keep theirs (keepAliveTimeoutMs), so the server never closes one under
 * a request in flight.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const limits = resolveLocalLimits(options.limits);
  let requestCounter = 0;
  let authority = host;

  const invokeAuthorizer = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult | APIGatewayProxyResult> => {
    const outcome = await within(Promise.resolve().then(() => options.authorizer(event)), limits.functionTimeoutMs.authorizer);
    if (outcome.kind === 'result') return outcome.value;
    // Only the exact "Unauthorized" message means 401; anything else (a bug, a timeout) is 500.
    if (outcome.kind === 'error' && outcome.error instanceof Error && outcome.error.message === UNAUTHORIZED) return gatewayResult(UNAUTHORIZED_RESPONSE);
    return gatewayResult(AUTHORIZER_FAILURE);
  };

  const running: Partial<Record<keyof LocalFunctions, number>> = {};
  const invokeFunction = async (fn: keyof LocalFunctions, handler: ProxyHandler, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (serializedSize(event) > limits.maxEventBytes) return gatewayResult(REQUEST_TOO_LARGE);
    // Lambda throttles past the function's reserved concurrency; API Gateway reports it as an
    // integration failure (the client sees 502 and retries).
    const reserved = fn === 'events' ? undefined : limits.functionConcurrency[fn];
    if (reserved !== undefined && (running[fn] ?? 0) >= reserved) return gatewayResult(INTEGRATION_FAILURE);
    running[fn] = (running[fn] ?? 0) + 1;
    try {
      return await invokeWithin(fn, handler, event);
    } finally {
      running[fn] = (running[fn] ?? 1) - 1;
    }
  };

  const invokeWithin = async (fn: keyof LocalFunctions, handler: ProxyHandler, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    // GET /events is the change feed's function (lib/ScimChangeFeed.ts), with its own timeout and memory.
    const timeoutMs = fn === 'events' ? FEED_FUNCTIONS.events.timeoutSeconds * 1000 : limits.functionTimeoutMs[fn];
    const memoryMb = fn === 'events' ? FEED_FUNCTIONS.events.memoryMb : limits.functionMemoryMb[fn];
    const context = localContext(`scim-${fn}`, `local-${++requestCounter}`, { timeoutMs, memoryMb });
    const functionFirst = timeoutMs < limits.integrationTimeoutMs;
    const outcome = await within(Promise.resolve().then(() => handler(event, context)), Math.min(timeoutMs, limits.integrationTimeoutMs));
    // The function's own timeout is a function error (502); the gateway giving up first is 504.
    if (outcome.kind === 'timeout') return gatewayResult(functionFirst ? INTEGRATION_FAILURE : INTEGRATION_TIMEOUT);
    if (outcome.kind === 'error' || !isProxyResult(outcome.value)) return gatewayResult(INTEGRATION_FAILURE);
    if (serializedSize(outcome.value) > limits.maxResponseBytes) return gatewayResult(INTEGRATION_FAILURE);
    return outcome.value;
  };

  // The token route has no authorizer (the client authenticates in the body) and the token
  // function's own timeout; otherwise the same Lambda contract as the SCIM functions.
  const invokeTokenEndpoint = async (
    handler: NonNullable<LocalServerOptions['tokenEndpoint']>,
    event: APIGatewayProxyEvent,
  ): Promise<APIGatewayProxyResult> => {
    if (serializedSize(event) > limits.maxEventBytes) return gatewayResult(REQUEST_TOO_LARGE);
    const outcome = await within(Promise.resolve().then(() => handler(event)), Math.min(TOKEN_FUNCTION_TIMEOUT_SECONDS * 1000, limits.integrationTimeoutMs));
    if (outcome.kind !== 'result' || !isProxyResult(outcome.value)) return gatewayResult(INTEGRATION_FAILURE);
    if (serializedSize(outcome.value) > limits.maxResponseBytes) return gatewayResult(INTEGRATION_FAILURE);
    return outcome.value;
  };

  const handle = async (req: IncomingMessage): Promise<APIGatewayProxyResult> => {
    // RFC 9112 §3.2: a Host that is not a host[:port] is a bad request (Node already answers 400
    // to a missing one). It is only checked: URLs are built from our own address, never from it.
    if (req.headers.host !== undefined && !isValidAuthority(req.headers.host)) return errorResult(400, 'The Host header is not a valid host[:port]');
    const url = new URL(req.url ?? '/', 'http://local');
    const pathname = url.pathname.replace(/\/+$/, '');
    // Pooled mode: the URL names the tenant for the IdP's sake; the credential decides it.
    const match = (options.pool ? POOL_SCIM_PATH : SCIM_PATH).exec(pathname);
    const body = await readBody(req, limits.maxRequestBytes);
    // The rest of the body is never read: close the connection so no client reuses it mid-stream.
    if (body === 'tooLarge') return gatewayResult(REQUEST_TOO_LARGE, { Connection: 'close' });
    if (options.tokenEndpoint && /^\/oauth2\/token$/.test(url.pathname.replace(/\/+$/, ''))) {
      return invokeTokenEndpoint(options.tokenEndpoint, toProxyEvent(req, body, { stage: '', host: authority }));
    }
    if (options.pool?.tokenEndpoint && /^\/t\/[^/]+\/oauth2\/token$/.test(pathname)) {
      return invokeTokenEndpoint(options.pool.tokenEndpoint, toProxyEvent(req, body, { stage: '', host: authority }));
    }
    if (options.pool && /^\/manage(\/|$)/.test(pathname)) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const signed = await options.pool.verifyManagement({ method: req.method ?? 'GET', url: new URL(req.url ?? '/', `http://${authority}`), headers, body: body.toString('utf8') });
      // API Gateway's answer to a missing or bad SigV4 signature on an AWS_IAM route.
      if (!signed) return errorResult(403, 'The management API takes SigV4-signed requests of the vendor\'s IAM principal, never SCIM credentials');
      return invokeTokenEndpoint(options.pool.management, toProxyEvent(req, body, { stage: '', host: authority }));
    }
    // GET /events (the change feed's pull API): beside the SCIM base path, per tenant in a pool.
    const isEvents = (options.pool ? /^\/t\/[a-z0-9-]{1,40}\/events$/i : /^\/events$/i).test(pathname);
    if (!match && !isEvents) return errorResult(404, `No SCIM endpoint at ${url.pathname}; the base URL is ${options.pool ? `/t/<tenant>${SCIM_BASE}` : SCIM_BASE}`);
    const scimPath = match?.[1] ?? '/';
    const fn: keyof LocalFunctions | undefined = isEvents ? 'events' : functionFor(scimPath);
    // Like API Gateway's requestContext.domainName: the API's own address, whatever Host the client sent.
    const event = toProxyEvent(req, body, { stage: '', host: authority });
    const method = event.httpMethod;
    const methodArn = `arn:aws:execute-api:local:000000000000:local/local/${method}${url.pathname}`;

    // API Gateway runs the authorizer before routing to a method, even for unknown paths.
    const auth = await invokeAuthorizer({
      type: 'REQUEST',
      methodArn,
      resource: event.resource,
      path: event.path,
      httpMethod: method,
      headers: event.headers as Record<string, string>,
      multiValueHeaders: event.multiValueHeaders as Record<string, string[]>,
      queryStringParameters: event.queryStringParameters as Record<string, string> | null,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters as Record<string, string[]> | null,
      pathParameters: event.pathParameters as Record<string, string> | null,
      stageVariables: null,
      requestContext: event.requestContext as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
    });
    if ('statusCode' in auth) return auth;
    if (!evaluatePolicy(auth.policyDocument, methodArn)) return gatewayResult(ACCESS_DENIED_RESPONSE);
    if (options.pool && !options.pool.allowTenant(String(auth.context?.tenant))) return gatewayResult(THROTTLED_RESPONSE);
    if (!fn) return errorResult(404, `No SCIM endpoint at ${scimPath}`);
    const handler = options.functions[fn];
    if (!handler) return errorResult(501, `${scimPath} is not implemented`);
    event.requestContext.authorizer = { ...(auth.context ?? {}), principalId: auth.principalId };
    return invokeFunction(fn, handler, event);
  };

  let inFlight = 0;
  // Node's own maxConnections destroys a socket past the cap: a reset the client cannot tell from
  // a crash. The cap is kept here instead, and a connection past it is answered (SCIM 503).
  let connections = 0;
  const overCap = new WeakSet<Socket>();
  const server = createServer(
    // Node checks requestTimeout every connectionsCheckingInterval (30 s by default): check each second.
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      // Overload is answered, not dropped: a SCIM 503 an IdP retries (Entra and Okta treat 503
      // with Retry-After as transient).
      if (overCap.has(req.socket)) return shed(req, res, `The server has ${limits.maxConnections} connections open`, true);
      if (inFlight < limits.maxInFlight) return serve(req, res);
      if (waiting.length >= limits.maxQueued) return shed(req, res, busy, false);
      const entry = { req, res, timer: setTimeout(() => expire(entry), limits.maxQueueWaitMs) };
      waiting.push(entry);
    },
  );
  const busy = `The server is handling ${limits.maxInFlight} requests`;
  // Requests waiting for a slot, oldest first.
  const waiting: { req: IncomingMessage; res: ServerResponse; timer: NodeJS.Timeout }[] = [];
  const expire = (entry: (typeof waiting)[number]): void => {
    const at = waiting.indexOf(entry);
    if (at >= 0) waiting.splice(at, 1);
    shed(entry.req, entry.res, busy, false);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    handle(req)
      .then((result) => writeProxyResult(res, result))
      .catch(() => writeProxyResult(res, errorResult(500, 'Internal server error')))
      .finally(() => {
        inFlight--;
        // The freed slot goes to the oldest waiting request whose client is still there.
        for (let next = waiting.shift(); next; next = waiting.shift()) {
          clearTimeout(next.timer);
          if (!next.req.socket.destroyed) return serve(next.req, next.res);
        }
      });
  };
  // Keep-alive connections between requests, the one idle longest first (a Map keeps insertion
  // order). At the cap, the one idle longest is closed to make room: an IdP that reconnects while
  // its own earlier sockets sit idle would otherwise be refused until they time out (65 s). A
  // connection with a request in progress, or one that has not sent its first request yet (a slow
  // client the header timeout deals with), is never closed for this.
  const idleSince = new Map<Socket, number>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    idleSince.delete(socket);
    res.once('finish', () => {
      if (!socket.destroyed && !overCap.has(socket) && !res.hasHeader('connection')) idleSince.set(socket, Date.now());
    });
  });
  const makeRoom = (): boolean => {
    const oldest = idleSince.entries().next().value;
    // A connection idle only a moment is one a busy client is about to reuse: closing it would
    // reset the request it is sending (an overload run with twice the cap of sockets dropped 86).
    if (!oldest || Date.now() - oldest[1] < EVICT_IDLE_AFTER_MS) return false;
    idleSince.delete(oldest[0]);
    oldest[0].destroy();
    return true;
  };
  server.on('connection', (socket: Socket) => {
    if (++connections > limits.maxConnections && !makeRoom()) overCap.add(socket);
    socket.once('close', () => {
      connections--;
      idleSince.delete(socket);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => answerClientError(err, socket));
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    baseUrl: `http://${authority}${SCIM_BASE}`,
    origin: `http://${authority}`,
    tokenUrl: `http://${authority}/oauth2/token`,
    server,
    limits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const entry of waiting.splice(0)) clearTimeout(entry.timer);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * How long a keep-alive connection must have been idle before it may be closed to make room at the
 * connection cap: longer than a busy client leaves a pooled connection unused between requests.
 */
export const EVICT_IDLE_AFTER_MS = 1_000;

/** Bodies a shed request may carry and still be read (then its connection stays open). */
const SHED_DRAIN_BYTES = 64 * 1024;

/**
 * Answers SCIM 503 with Retry-After without running the request. Its body is read first (up to
 * SHED_DRAIN_BYTES): closing a socket with unread bytes makes the kernel send a reset instead of
 * the answer, and keeping the connection spares the client a new one when it retries. A larger
 * body, or a connection over the cap, is answered with `Connection: close`.
 */
function shed(req: IncomingMessage, res: ServerResponse, reason: string, close: boolean): void {
  const large = Number(req.headers['content-length'] ?? 0) > SHED_DRAIN_BYTES;
  const answer = () =>
    writeProxyResult(
      res,
      errorResult(503, `${reason}; retry after ${OVERLOAD_RETRY_AFTER_SECONDS} s`, {
        'Retry-After': String(OVERLOAD_RETRY_AFTER_SECONDS),
        ...(close || large ? { Connection: 'close' } : {}),
      }),
    );
  if (large) return answer();
  let read = 0;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    // A chunked body without a length that keeps coming: stop reading, answer and close.
    if (read > SHED_DRAIN_BYTES && !res.headersSent) {
      req.pause();
      close = true;
      answer();
    }
  });
  req.once('end', () => {
    if (!res.headersSent) answer();
  });
}

/**
 * Node rejects a request whose request line and headers exceed its header limit (16 KiB) before
 * any handler runs, with a bare status and no body. Answer as the API does everything else: a
 * SCIM error body, 414 when the request line alone overflowed (the URL is too long), 431 when the
 * headers did; a request not received within the header or request timeout is a 408; any other
 * unparsable request is a 400.
 */
function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex | Socket): void {
  if (!socket.writable) return;
  let status = 400;
  let detail = 'The request is not valid HTTP';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // Which part overflowed: the request line when it is the larger part of what was read.
    const packet = err.rawPacket ?? Buffer.alloc(0);
    const lineEnd = packet.indexOf('\r\n');
    const requestLine = lineEnd < 0 ? packet.length : lineEnd;
    const urlTooLong = requestLine > packet.length - requestLine;
    status = urlTooLong ? 414 : 431;
    detail = urlTooLong ? 'The URL is too long; send long filters in the body of POST .search' : 'The request headers are too large';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    // headersTimeout / requestTimeout: a client too slow to send its request (limits in localLimits.ts).
    status = 408;
    detail = 'The request was not received in time; send it again';
  }
  const body = JSON.stringify(scimErrorBody(status, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${SCIM_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
