import type { ScimResult } from './types';

/** RFC 7644 §3.1: every SCIM response is `application/scim+json`. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Builds a SCIM JSON response; `body` undefined gives an empty body (204, 304). */
export function scimResponse(statusCode: number, body?: unknown, headers: Record<string, string> = {}): ScimResult {
  return {
    statusCode,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': SCIM_CONTENT_TYPE }),
      // Provisioning data is personal data: no shared cache may keep it.
      'Cache-Control': 'no-store',
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}
