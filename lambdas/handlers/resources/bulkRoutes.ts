import { parseBulkRequest, bulkResponse } from '../../scim/messages';
import { runBulk } from '../../provisioning';
import { parsedBody } from '../../http/middlewares/scimBodyParser';
import type { Route } from '../../http/router';
import { toScimError } from '../../http/toScimError';
import { scimResponse } from '../../http/responses';
import { baseUrl } from '../../http/request';
import { logger } from '../../http/observability';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { BulkDeps } from './deps';
import { countEffect } from './common';
import { BULK_LIMITS } from '../../contracts/limits';
import type { Context } from 'aws-lambda';
import { URN } from '../../scim/schema/urns';
import { BULK_RETRY_AFTER_SECONDS } from '../../provisioning/runBulk';
import type { BulkResult } from '../../scim/messages';
import { BULK_ROLLBACK_URN, RollbackJournal, deletesLast, wantsAllOrNothing } from './bulkRollback';

export { BULK_LIMITS };

/**
 * POST /Bulk (RFC 7644 §3.7): parses the BulkRequest and runs it through the provisioning use
 * cases (provisioning/runBulk.ts), the same ones single requests call; each operation's effect
 * is counted as its own request's would be.
 */
export function bulkRoutes(deps: BulkDeps): Route[] {
  const bulk = async (event: ScimEvent, _params: string[], context: Context): Promise<ScimResult> => {
    const body = parsedBody(event);
    const request = parseBulkRequest(body, BULK_LIMITS);
    const journal = wantsAllOrNothing(body) ? new RollbackJournal(deps) : undefined;
    // Durable before the first operation: an invocation that dies leaves it for maintenance to finish.
    await journal?.open();
    const { results, effects, byIndex, deadlineHit } = await runBulk(deps, request, {
      baseUrl: baseUrl(event),
      toScimError,
      onUnexpected: (e, op) => logger.error('Bulk operation failed unexpectedly', { error: e as Error, method: op.method }),
      // Time kept to undo what was applied is time operations may not use.
      remainingMs: () => context.getRemainingTimeInMillis() - (journal?.reserveMs() ?? 0),
      // All-or-nothing: one at a time (the first failure stops everything after it), DELETEs last.
      ...(journal
        ? {
            concurrency: 1,
            order: deletesLast(request.operations),
            beforeOperation: (op) => journal.capture(op),
            afterOperation: (index, op, result, captured) => journal.applied(index, op, result, captured as Parameters<RollbackJournal['applied']>[3]),
          }
        : {}),
    });
    effects.forEach(countEffect);
    if (journal) {
      const failed = byIndex.findIndex((r) => r !== undefined && Number(r.status) >= 400 && Number(r.status) !== 503);
      if (failed >= 0 || deadlineHit) {
        const report = await journal.rollback(byIndex, request.operations, failed >= 0 ? failed : undefined);
        return scimResponse(200, { schemas: [URN.bulkResponse, BULK_ROLLBACK_URN], Operations: report.operations, [BULK_ROLLBACK_URN]: report.summary });
      }
    }
    await journal?.close();
    return scimResponse(200, bulkResponse(boundedResults(results)), deadlineHit ? { 'Retry-After': String(BULK_RETRY_AFTER_SECONDS) } : {});
  };

  return [{ method: 'POST', pattern: /^\/Bulk$/i, handle: bulk }];
}

/** Longest `detail` one operation's error carries in a BulkResponse: 1,000 of them must fit in one answer. */
const MAX_BULK_DETAIL = 1_000;

/** Error details cut to MAX_BULK_DETAIL, so a BulkResponse of maxOperations errors stays inside the response budget. */
function boundedResults(results: BulkResult[]): BulkResult[] {
  return results.map((r) => {
    const response = r.response as { detail?: unknown } | undefined;
    if (typeof response?.detail !== 'string' || response.detail.length <= MAX_BULK_DETAIL) return r;
    return { ...r, response: { ...response, detail: `${response.detail.slice(0, MAX_BULK_DETAIL)}…` } } as BulkResult;
  });
}
