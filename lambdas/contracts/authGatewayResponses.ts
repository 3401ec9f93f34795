/**
 * SCIM-shaped API Gateway gateway responses (RFC 7644 §3.12 bodies, `application/scim+json`), as
 * plain data for lib/ (`api.addGatewayResponse`) and the local server. Deliberately imports
 * nothing: lib/ bundles it into the CDK app.
 */

import { SCIM_MEDIA_TYPE as SCIM_CONTENT_TYPE } from './scimApi';

export { SCIM_CONTENT_TYPE };

/** Seconds a throttled client is told to wait. */
export const THROTTLE_RETRY_AFTER_SECONDS = 1;

/** One gateway response: the API Gateway response type, status, headers and body. */
export interface ScimGatewayResponse {
  /** API Gateway's ResponseType (`UNAUTHORIZED`, `ACCESS_DENIED`, `THROTTLED`...). */
  readonly type: 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'THROTTLED';
  readonly statusCode: number;
  /** Response headers, literal values (CDK quotes them as `'value'` in responseParameters). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, RFC 7644 §3.12; JSON text (CDK: `responseTemplates['application/json']`). */
  readonly body: string;
}

function errorBody(status: number, detail: string): string {
  return JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });
}

/** 401: missing or invalid token (the authorizer threw "Unauthorized"). */
export const UNAUTHORIZED_RESPONSE: ScimGatewayResponse = {
  type: 'UNAUTHORIZED',
  statusCode: 401,
  // RFC 6750 §3: a 401 names the scheme the client must use.
  headers: { 'Content-Type': SCIM_CONTENT_TYPE, 'WWW-Authenticate': 'Bearer realm="scim"' },
  body: errorBody(401, 'missing, invalid, expired or revoked bearer token'),
};

/** 403: the authorizer's policy denied the route (a read-only token attempting a write). */
export const ACCESS_DENIED_RESPONSE: ScimGatewayResponse = {
  type: 'ACCESS_DENIED',
  statusCode: 403,
  headers: { 'Content-Type': SCIM_CONTENT_TYPE },
  body: errorBody(403, 'token lacks scope scim:write or is not allowed to call this route'),
};

/** 429: stage or usage-plan throttling; `Retry-After` per RFC 9110 §10.2.3. */
export const THROTTLED_RESPONSE: ScimGatewayResponse = {
  type: 'THROTTLED',
  statusCode: 429,
  headers: { 'Content-Type': SCIM_CONTENT_TYPE, 'Retry-After': String(THROTTLE_RETRY_AFTER_SECONDS) },
  body: errorBody(429, 'too many requests; retry later'),
};

/** All SCIM gateway responses, for lib/ to register in one loop. */
export const SCIM_GATEWAY_RESPONSES: readonly ScimGatewayResponse[] = [
  UNAUTHORIZED_RESPONSE,
  ACCESS_DENIED_RESPONSE,
  THROTTLED_RESPONSE,
];
