import type middy from '@middy/core';
import { logger, countOperation, setTenant } from '../observability';
import { METRIC } from '../metricNames';
import { operationName } from '../operationName';
import { authorizerContext, scimPath } from '../request';
import type { ScimEvent, ScimResult } from '../types';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds request id, tenant, token id and operation to every log line, logs one line per
 * request, and counts Requests, client/server errors and successful provisioning calls.
 * Used first in the chain so its `after`/`onError` run last and see the final response.
 */
export function observability(): middy.MiddlewareObj<ScimEvent, ScimResult> {
  let operation = 'unknown';
  let started = 0;
  const before: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    started = Date.now();
    const { event, context } = request;
    const path = scimPath(event);
    operation = operationName(event.httpMethod ?? 'GET', path);
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
    countOperation(METRIC.requests, operation);
    if (status >= 500) countOperation(METRIC.serverErrors, operation);
    else if (status >= 400) countOperation(METRIC.clientErrors, operation);
    else if (WRITE_METHODS.has((request.event.httpMethod ?? '').toUpperCase())) countOperation(METRIC.provisioningSuccess, operation);
    if (status === 429) countOperation(METRIC.throttles, operation);
    logger.info('request', { method: request.event.httpMethod, status, durationMs: Date.now() - started });
  };
  return { before, after: async (r) => finish(r), onError: async (r) => finish(r) };
}
