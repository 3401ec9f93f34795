import { listResponse } from '../../scim/listResponse';
import { baseUrl, queryParam } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { HandlerDeps } from './deps';
import { parseListParams, parseSearchRequest, type ListQuery } from '../../scim/messages';
import { queryResources } from './queryResources';
import { pageLimits } from './common';
import { parsedBody } from '../../http/middlewares/scimBodyParser';

async function answer(deps: HandlerDeps, resourceType: 'User' | 'Group', q: ListQuery, event: ScimEvent): Promise<ScimResult> {
  const page = await queryResources(deps, resourceType, q, baseUrl(event));
  return scimResponse(
    200,
    listResponse({
      resources: page.resources,
      totalResults: page.totalResults,
      // RFC 9865: cursor paging answers nextCursor instead of startIndex.
      ...(q.cursor !== undefined ? { nextCursor: page.nextCursor } : { startIndex: q.startIndex }),
    }),
  );
}

/** GET /Users, GET /Groups (RFC 7644 §3.4.2). */
export function listResources(deps: HandlerDeps, resourceType: 'User' | 'Group') {
  return (event: ScimEvent) => answer(deps, resourceType, parseListParams((name) => queryParam(event, name), pageLimits(deps)), event);
}

/** POST /Users/.search, POST /Groups/.search (RFC 7644 §3.4.3). */
export function searchResources(deps: HandlerDeps, resourceType: 'User' | 'Group') {
  return (event: ScimEvent) => answer(deps, resourceType, parseSearchRequest(parsedBody(event), pageLimits(deps)), event);
}
