import type { ScimResult } from './types';

import { SCIM_CONTENT_TYPE } from '../contracts/scimApi';

export { SCIM_CONTENT_TYPE };

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
