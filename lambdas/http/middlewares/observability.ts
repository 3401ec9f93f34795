import type middy from '@middy/core';
import { logger, countError, countOperation, setTenant } from '../observability';
import { operationName } from '../operationName';
import { requestMetrics } from '../requestMetrics';
import { authorizerContext, scimPath } from '../request';
import type { ScimEvent, ScimResult } from '../types';

/** The RFC 7644 scimType of an error body we rendered, if any. */
function scimTypeOf(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const scimType = (JSON.parse(body) as { scimType?: unknown }).scimType;
    return typeof scimType === 'string' ? scimType : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds request id, tenant, token id and operation to every log line, logs one line per
 * request, and counts Requests, client/server errors and successful provisioning calls.
 * Used first in the chain so its `after`/`onError` run last and see the final response.
 */
export function observability(): middy.MiddlewareObj<ScimEvent, ScimResult> {
  // Per-request state lives on the request: the local server runs one handler for concurrent requests.
  const before: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    (request.internal as { startedAt?: number }).startedAt = Date.now();
    const { event, context } = request;
    const operation = operationName(event.httpMethod ?? 'GET', scimPath(event));
    const auth = authorizerContext(event);
    if (auth.tenant) setTenant(auth.tenant);
    logger.resetKeys?.();
    logger.appendKeys({
      requestId: context?.awsRequestId,
      tenant: auth.tenant ?? process.env.TENANT,
      tokenId: auth.tokenId,
      operation,
    });
  };
  const finish = (request: middy.Request<ScimEvent, ScimResult>) => {
    const status = request.response?.statusCode ?? 500;
    const method = request.event.httpMethod ?? 'GET';
    const path = scimPath(request.event);
    const operation = operationName(method, path);
    for (const metric of requestMetrics(method, path, status)) countOperation(metric, operation);
    if (status >= 400) countError(status, scimTypeOf(request.response?.body));
    const startedAt = (request.internal as { startedAt?: number }).startedAt;
    logger.info('request', { method, status, durationMs: startedAt === undefined ? undefined : Date.now() - startedAt });
  };
  return { before, after: async (r) => finish(r), onError: async (r) => finish(r) };
}
