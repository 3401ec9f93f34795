import type middy from '@middy/core';
import { ScimError, scimErrorBody } from '../../scim/errors';
import { scimResponse } from '../responses';
import { toScimError } from '../toScimError';
import type { ScimEvent, ScimResult } from '../types';
import { logger } from '../observability';

/**
 * Renders every failure as an RFC 7644 §3.12 body. Client mistakes keep their detail;
 * anything unexpected is logged with the request id and answered with a detail-free 500,
 * so no stack trace or internal message ever reaches the client.
 */
export function scimErrorHandler(): middy.MiddlewareObj<ScimEvent, ScimResult> {
  const onError: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    if (request.response !== undefined && request.response !== null) return;
    const scimError = toScimError(request.error);
    if (scimError) {
      request.response = scimResponse(scimError.status, scimError.toBody(), scimError.headers);
      return;
    }
    logger.error('Unhandled error', { error: request.error as Error });
    const internal = new ScimError(500, undefined, 'Internal server error');
    request.response = scimResponse(500, scimErrorBody(500, internal.detail));
  };
  return { onError };
}
