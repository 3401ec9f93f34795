import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
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
import { localContext, toProxyEvent, writeProxyResult } from './httpAdapter';
import { evaluatePolicy } from '../auth/evaluatePolicy';
import { ACCESS_DENIED_RESPONSE, UNAUTHORIZED_RESPONSE, type ScimGatewayResponse } from '../auth/gatewayResponses';

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
}

/** Options for {@link startLocalServer}. */
export interface LocalServerOptions {
  readonly functions: LocalFunctions;
  readonly authorizer: RequestAuthorizer;
  /** @default 8080 (0 picks a free port) */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Largest request body accepted before a handler sees it, like API Gateway's 10 MB. @default 10 MiB */
  readonly maxBodyBytes?: number;
}

/** A running local server. */
export interface LocalServer {
  /** e.g. http://127.0.0.1:8080/scim/v2 */
  readonly baseUrl: string;
  readonly server: Server;
  close(): Promise<void>;
}

const SCIM_JSON = 'application/scim+json; charset=utf-8';

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
function gatewayResult(response: ScimGatewayResponse): APIGatewayProxyResult {
  return { statusCode: response.statusCode, headers: { ...response.headers }, body: response.body };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'tooLarge';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Serves the real handlers and the real authorizer over node:http, the way API Gateway
 * would: authorizer first (401 / 403 SCIM bodies like the stack's gateway responses), then the
 * function that owns the route; unknown paths get a SCIM 404, oversized bodies a SCIM 413.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  let requestCounter = 0;

  const handle = async (req: IncomingMessage): Promise<APIGatewayProxyResult> => {
    const hostHeader = req.headers.host ?? `${host}`;
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    const match = /^\/scim\/v2(\/.*)?$/i.exec(url.pathname.replace(/\/+$/, ''));
    const body = await readBody(req, maxBodyBytes);
    // The rest of the body is never read: close the connection so no client reuses it mid-stream.
    if (body === 'tooLarge') return errorResult(413, `Request body exceeds ${maxBodyBytes} bytes`, { Connection: 'close' });
    if (!match) return errorResult(404, `No SCIM endpoint at ${url.pathname}; the base URL is /scim/v2`);
    const scimPath = match[1] ?? '/';
    const fn = functionFor(scimPath);
    const event = toProxyEvent(req, body, { stage: '', host: hostHeader });
    const method = event.httpMethod;
    const methodArn = `arn:aws:execute-api:local:000000000000:local/local/${method}${url.pathname}`;

    // API Gateway runs the authorizer before routing to a method, even for unknown paths.
    let auth: APIGatewayAuthorizerResult;
    try {
      auth = await options.authorizer({
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
    } catch {
      return gatewayResult(UNAUTHORIZED_RESPONSE);
    }
    if (!evaluatePolicy(auth.policyDocument, methodArn)) return gatewayResult(ACCESS_DENIED_RESPONSE);
    if (!fn) return errorResult(404, `No SCIM endpoint at ${scimPath}`);
    const handler = options.functions[fn];
    if (!handler) return errorResult(501, `${scimPath} is not implemented`);
    event.requestContext.authorizer = { ...(auth.context ?? {}), principalId: auth.principalId };
    const requestId = `local-${++requestCounter}`;
    try {
      return await handler(event, localContext(`scim-${fn}`, requestId));
    } catch {
      // API Gateway answers a Lambda crash with 502; our handlers never throw (they render errors).
      return errorResult(502, 'Internal server error');
    }
  };

  const server = createServer((req, res) => {
    handle(req)
      .then((result) => writeProxyResult(res, result))
      .catch(() => writeProxyResult(res, errorResult(500, 'Internal server error')));
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => answerClientError(err, socket));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}/scim/v2`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Node rejects a request whose request line and headers exceed its header limit (16 KiB) before
 * any handler runs, with a bare status and no body. Answer as the API does everything else: a
 * SCIM error body, 414 when the request line alone overflowed (the URL is too long), 431 when the
 * headers did; any other unparsable request is a 400.
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
  }
  const body = JSON.stringify(scimErrorBody(status, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${SCIM_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
