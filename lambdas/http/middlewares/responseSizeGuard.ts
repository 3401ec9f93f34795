import type middy from '@middy/core';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../../contracts/awsLimits';
import { ScimError } from '../../scim/errors';
import type { ScimEvent, ScimResult } from '../types';

/** Options of {@link responseSizeGuard}. */
export interface ResponseSizeGuardOptions {
  /** The limit on the serialized result. @default LAMBDA_MAX_RESPONSE_BYTES */
  readonly maxBytes?: number;
}

/**
 * The last line before Lambda's 6 MB response payload: a result whose serialized form (what Lambda
 * measures) would not fit becomes a SCIM 400 `tooMany` saying how to ask for less, never the
 * gateway's 502. Pages, members and BulkResponses are cut to their budgets before this; it catches
 * what no budget foresaw (a user in thousands of groups asked for with `attributes=groups`).
 */
export function responseSizeGuard(options: ResponseSizeGuardOptions = {}): middy.MiddlewareObj<ScimEvent, ScimResult> {
  const maxBytes = options.maxBytes ?? LAMBDA_MAX_RESPONSE_BYTES;
  const after: middy.MiddlewareFn<ScimEvent, ScimResult> = async (request) => {
    const response = request.response;
    if (!response) return;
    // Cheap first: a body well under the limit cannot exceed it even when every byte is escaped twice.
    if ((response.body?.length ?? 0) * 7 < maxBytes) return;
    if (Buffer.byteLength(JSON.stringify(response), 'utf8') <= maxBytes) return;
    throw ScimError.badRequest(
      'tooMany',
      `The response would exceed the ${maxBytes}-byte limit of one answer: ask for less, with attributes or excludedAttributes ` +
        '(e.g. excludedAttributes=members or attributes=id,userName), a smaller count, or fewer operations per BulkRequest',
    );
  };
  return { after };
}
