import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import {
  SCIM_CONTENT_TYPE,
  SCIM_GATEWAY_RESPONSES as AUTH_GATEWAY_RESPONSES,
} from '../lambdas/auth/gatewayResponses';

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
 * The gateway responses beyond the auth layer's 401/403/429 (lambdas/auth/gatewayResponses.ts).
 * Each pins its status because a SCIM body's `status` must equal the HTTP status (RFC 7644 §3.12)
 * and a gateway response template cannot read the status it is sent with. DEFAULT_4XX/5XX catch the
 * types not listed here (so the 4xx ones become 400, the 5xx ones 500).
 */
export const EXTRA_GATEWAY_RESPONSES: readonly GatewayResponseSpec[] = [
  // API Gateway answers unknown paths and methods with 403 "Missing Authentication Token": a
  // SCIM client expects 404 for a resource that does not exist.
  spec('MISSING_AUTHENTICATION_TOKEN', 404, 'no such SCIM endpoint; the base URL ends in /scim/v2'),
  spec('RESOURCE_NOT_FOUND', 404, 'no such SCIM endpoint'),
  // API Gateway caps payloads at 10 MB; RFC 7644 §3.7 names 413 for an oversized bulk request.
  spec('REQUEST_TOO_LARGE', 413, 'request body too large; split the request (see maxPayloadSize in /ServiceProviderConfig)'),
  spec('UNSUPPORTED_MEDIA_TYPE', 415, 'unsupported media type; send application/scim+json'),
  spec('QUOTA_EXCEEDED', 429, 'request quota exceeded; retry later', { 'Retry-After': '60' }),
  spec('WAF_FILTERED', 403, 'request blocked by the web application firewall'),
  spec('EXPIRED_TOKEN', 401, 'expired credentials', { 'WWW-Authenticate': 'Bearer realm="scim"' }),
  // The authorizer crashed or timed out (e.g. Secrets Manager outage): fail closed, but say 500
  // rather than 401 so the IdP retries instead of reporting bad credentials.
  spec('AUTHORIZER_FAILURE', 500, 'authorization service unavailable; retry later'),
  spec('AUTHORIZER_CONFIGURATION_ERROR', 500, 'authorization service misconfigured'),
  spec('INTEGRATION_FAILURE', 502, 'the SCIM service failed to answer; retry later'),
  spec('INTEGRATION_TIMEOUT', 504, 'the SCIM service did not answer in time; retry later'),
  spec('DEFAULT_4XX', 400, 'bad request'),
  spec('DEFAULT_5XX', 500, 'internal error; retry later'),
];

/** Every gateway response the API registers: the auth layer's, then ours. */
export const SCIM_GATEWAY_RESPONSE_SPECS: readonly GatewayResponseSpec[] = [...AUTH_GATEWAY_RESPONSES, ...EXTRA_GATEWAY_RESPONSES];

/** Registers `specs` on `api` (one AWS::ApiGateway::GatewayResponse each). */
export function addScimGatewayResponses(api: apigateway.RestApi, specs: readonly GatewayResponseSpec[] = SCIM_GATEWAY_RESPONSE_SPECS): void {
  for (const s of specs) {
    api.addGatewayResponse(`${s.type}Response`, {
      type: apigateway.ResponseType.of(s.type),
      statusCode: String(s.statusCode),
      responseHeaders: Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k, `'${v}'`])),
      // API Gateway picks the template by the client's Accept; IdPs send either type.
      templates: { 'application/json': s.body, [SCIM_CONTENT_TYPE]: s.body },
    });
  }
}
