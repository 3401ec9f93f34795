import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AWS_LIMITS } from './localLimits';

/**
 * Builds the API Gateway REST proxy event (v1 payload) that API Gateway would hand our
 * handlers for this request: single- and multi-value headers and query strings, the stage
 * in requestContext.path, base64 for non-UTF-8 bodies.
 */
export function toProxyEvent(req: IncomingMessage, body: Buffer, options: { stage: string; host: string }): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', `http://${options.host}`);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    headers[name] = value; // API Gateway keeps the last value in `headers`
    (multiValueHeaders[name] ??= []).push(value);
  }
  headers['X-Forwarded-Proto'] = 'http';
  multiValueHeaders['X-Forwarded-Proto'] = ['http'];
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const utf8 = body.toString('utf8');
  const isText = Buffer.from(utf8, 'utf8').equals(body);
  // Raw path: the handlers' router decodes each segment once.
  const path = url.pathname;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: (req.method ?? 'GET').toUpperCase(),
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: { proxy: path.replace(/^\//, '') },
    stageVariables: null,
    body: body.length === 0 ? null : isText ? utf8 : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      domainName: options.host,
      httpMethod: (req.method ?? 'GET').toUpperCase(),
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? null } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/${options.stage}${path}`.replace(/^\/\//, '/'),
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      stage: options.stage || 'local',
    },
  };
}

/** Writes a handler result to the Node response (base64 bodies decoded). */
export function writeProxyResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  if (body.length > 0) headers['Content-Length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

/**
 * A Lambda context good enough for our handlers: request id, the function's memory, and a
 * remaining time counting down from the function's timeout, as /Bulk plans its work against it.
 * @default options - the users function's timeout and memory
 */
export function localContext(
  functionName: string,
  requestId: string,
  options: { timeoutMs: number; memoryMb: number } = { timeoutMs: AWS_LIMITS.functionTimeoutMs.users, memoryMb: AWS_LIMITS.functionMemoryMb.users },
): Context {
  const deadline = Date.now() + options.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The size Lambda measures a synchronous result at: the UTF-8 bytes of its JSON, for a proxy
 * result the body as an escaped string inside it (so quotes in a JSON body count twice).
 */
export function serializedSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
