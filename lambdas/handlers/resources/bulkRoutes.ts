import { parseBulkRequest, bulkResponse } from '../../scim/messages';
import { runBulk } from '../../provisioning';
import { parsedBody } from '../../http/middlewares/scimBodyParser';
import type { Route } from '../../http/router';
import { toScimError } from '../../http/toScimError';
import { scimResponse } from '../../http/responses';
import { baseUrl } from '../../http/request';
import { logger } from '../../http/observability';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { HandlerDeps } from './deps';
import { countEffect } from './common';
import { BULK_LIMITS } from './capabilities';

export { BULK_LIMITS };

/**
 * POST /Bulk (RFC 7644 §3.7): parses the BulkRequest and runs it through the provisioning use
 * cases (provisioning/runBulk.ts), the same ones single requests call; each operation's effect
 * is counted as its own request's would be.
 */
export function bulkRoutes(deps: HandlerDeps): Route[] {
  const bulk = async (event: ScimEvent): Promise<ScimResult> => {
    const request = parseBulkRequest(parsedBody(event), BULK_LIMITS);
    const { results, effects } = await runBulk(deps, request, {
      baseUrl: baseUrl(event),
      toScimError,
      onUnexpected: (e, op) => logger.error('Bulk operation failed unexpectedly', { error: e as Error, method: op.method }),
    });
    effects.forEach(countEffect);
    return scimResponse(200, bulkResponse(results));
  };

  return [{ method: 'POST', pattern: /^\/Bulk$/i, handle: bulk }];
}
