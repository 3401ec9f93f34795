import type middy from '@middy/core';
import { DEFAULT_TENANT, METRICS_TENANT, countEvent, currentRequest, logger, publishRequest } from '../observability';
import { METRIC } from '../../contracts/metricNames';
import { operationName } from '../operationName';
import { requestMetrics, tenantMetrics } from '../requestMetrics';
import { resourceIdOf } from '../resourceIdOf';
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
 * Puts request id, tenant, token id and operation on every log line of the request, counts
 * Requests, client/server errors, Errors by status and scimType and successful provisioning
 * calls, and writes ONE line per request: the log entry and the EMF document of all its metrics
 * (see publishRequest). Used first in the chain so its `after`/`onError` run last and see the
 * final response. Needs the request to run inside runAsRequest (createScimHandler does it).
 */
export function observability(): middy.MiddlewareObj<ScimEvent, ScimResult> {
  const before: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    const telemetry = currentRequest();
    if (!telemetry) return;
    const { event, context } = request;
    const operation = operationName(event.httpMethod ?? 'GET', scimPath(event));
    const auth = authorizerContext(event);
    const tenant = auth.tenant ?? DEFAULT_TENANT;
    Object.assign(telemetry.keys, { requestId: context?.awsRequestId, tenant, tokenId: auth.tokenId, operation });
    // The pool publishes one series for all its tenants (METRICS_TENANT). EMF reads the dimension's
    // value from the line's `tenant` member, which then holds the pool's value: the request's own
    // tenant rides in `requestTenant` on every line.
    if (METRICS_TENANT) telemetry.keys.requestTenant = tenant;
    Object.assign(telemetry.dimensions, { tenant: METRICS_TENANT ?? tenant, operation });
  };
  const finish = (request: middy.Request<ScimEvent, ScimResult>) => {
    const telemetry = currentRequest();
    const status = request.response?.statusCode ?? 500;
    const method = request.event.httpMethod ?? 'GET';
    if (!telemetry) {
      logger.info('request', { method, status: String(status) });
      return;
    }
    for (const metric of requestMetrics(method, scimPath(request.event), status)) countEvent(metric);
    for (const metric of tenantMetrics(status)) countEvent(metric);
    const scimType = status >= 400 ? (scimTypeOf(request.response?.body) ?? 'none') : undefined;
    if (scimType) {
      Object.assign(telemetry.dimensions, { status: String(status), scimType });
      countEvent(METRIC.errors);
    }
    // What an operator needs to match an IdP's provisioning-log entry (docs/runbooks/debug-entra.md):
    // status, scimType, operation (in the keys) and the resource id; never a name or an email.
    const headers = request.response?.headers as Record<string, unknown> | undefined;
    const location = headers?.Location ?? headers?.location;
    const resourceId = resourceIdOf(scimPath(request.event), typeof location === 'string' ? location : undefined);
    // `status` as text: on an error line it is also the EMF `status` dimension, whose values are strings.
    publishRequest('request', { method, status: String(status), ...(scimType ? { scimType } : {}), ...(resourceId ? { resourceId } : {}), durationMs: Date.now() - telemetry.startedAt });
  };
  return { before, after: async (r) => finish(r), onError: async (r) => finish(r) };
}
