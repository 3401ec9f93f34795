import { SCIM_BASE } from '../../contracts/scimApi';
import type middy from '@middy/core';
import { requireScope } from '../../auth/requireScope';
import { requireUnexpired } from '../../auth/requireUnexpired';
import { authorizerContext, scimPath } from '../request';
import type { ScimEvent, ScimResult } from '../types';

/**
 * Checks the token's scopes (scim:read / scim:write) from the authorizer context on every
 * request: the second enforcement behind the authorizer's policy (issue 7 point 5); and the
 * expiry of OAuth access tokens, which the authorizer's cached answer could outlive.
 */
export function scopeGuard(): middy.MiddlewareObj<ScimEvent, ScimResult> {
  const before: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    const { event } = request;
    // An OAuth access token past its exp, allowed by API Gateway's cached policy: 401 here.
    requireUnexpired(authorizerContext(event).expiresAt);
    requireScope(authorizerContext(event).scopes, event.httpMethod ?? 'GET', `${SCIM_BASE}${scimPath(event)}`);
  };
  return { before };
}
