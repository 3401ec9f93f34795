/**
 * The SCIM-shaped bodies API Gateway itself answers with (gateway responses) beyond the auth
 * layer's 401/403/429 (authGatewayResponses.ts), as plain data: lib/ registers them on the
 * REST API and the local server answers with the very same status, headers and body where API
 * Gateway would (oversized request, function failure, timeouts). A leaf module: imports nothing.
 */

import { SCIM_BASE, SCIM_MEDIA_TYPE as SCIM_CONTENT_TYPE } from './scimApi';

/** One gateway response as data: API Gateway's response type, status, headers and RFC 7644 §3.12 body. */
export interface GatewayResponseSpec {
  /** API Gateway's response type name (`UNAUTHORIZED`, `DEFAULT_4XX`...). */
  readonly type: string;
  /** HTTP status. */
  readonly statusCode: number;
  /** Literal response header values. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body (a mapping template; for these, plain JSON text). */
  readonly body: string;
}

function scimError(status: number, detail: string): string {
  return JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });
}

function spec(type: string, statusCode: number, detail: string, headers: Record<string, string> = {}): GatewayResponseSpec {
  return { type, statusCode, headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...headers }, body: scimError(statusCode, detail) };
}

/**
 * The request was over API Gateway's 10 MB, or over Lambda's 6 MB invocation payload.
 * RFC 7644 §3.7 names 413 for an oversized bulk request.
 */
export const REQUEST_TOO_LARGE = spec('REQUEST_TOO_LARGE', 413, 'request body too large; split the request (see maxPayloadSize in /ServiceProviderConfig)');

/** The authorizer crashed or timed out (e.g. a Secrets Manager outage): fail closed, but 500 so the IdP retries. */
export const AUTHORIZER_FAILURE = spec('AUTHORIZER_FAILURE', 500, 'authorization service unavailable; retry later');

/**
 * The function failed to answer: it crashed, timed out (its own timeout, below the gateway's), or
 * returned a result over Lambda's 6 MB response payload. API Gateway answers 502.
 */
export const INTEGRATION_FAILURE = spec('INTEGRATION_FAILURE', 502, 'the SCIM service failed to answer; retry later');

/** The function did not answer within API Gateway's 29 s integration timeout: 504. */
export const INTEGRATION_TIMEOUT = spec('INTEGRATION_TIMEOUT', 504, 'the SCIM service did not answer in time; retry later');

/**
 * The gateway responses beyond the auth layer's. Each pins its status because a SCIM body's
 * `status` must equal the HTTP status (RFC 7644 §3.12) and a gateway response template cannot read
 * the status it is sent with. DEFAULT_4XX/5XX catch the types not listed here (so the 4xx ones
 * become 400, the 5xx ones 500).
 */
export const EXTRA_GATEWAY_RESPONSES: readonly GatewayResponseSpec[] = [
  // API Gateway answers unknown paths and methods with 403 "Missing Authentication Token": a
  // SCIM client expects 404 for a resource that does not exist.
  spec('MISSING_AUTHENTICATION_TOKEN', 404, `no such SCIM endpoint; the base URL ends in ${SCIM_BASE}`),
  spec('RESOURCE_NOT_FOUND', 404, 'no such SCIM endpoint'),
  REQUEST_TOO_LARGE,
  spec('UNSUPPORTED_MEDIA_TYPE', 415, `unsupported media type; send ${SCIM_CONTENT_TYPE}`),
  spec('QUOTA_EXCEEDED', 429, 'request quota exceeded; retry later', { 'Retry-After': '60' }),
  spec('WAF_FILTERED', 403, 'request blocked by the web application firewall'),
  spec('EXPIRED_TOKEN', 401, 'expired credentials', { 'WWW-Authenticate': 'Bearer realm="scim"' }),
  AUTHORIZER_FAILURE,
  spec('AUTHORIZER_CONFIGURATION_ERROR', 500, 'authorization service misconfigured'),
  INTEGRATION_FAILURE,
  INTEGRATION_TIMEOUT,
  spec('DEFAULT_4XX', 400, 'bad request'),
  spec('DEFAULT_5XX', 500, 'internal error; retry later'),
];
