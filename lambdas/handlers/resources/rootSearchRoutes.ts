import { ScimError, isScimError } from '../../scim/errors';
import { listResponse } from '../../scim/listResponse';
import { compareSortValues } from '../../scim/compareSortValues';
import { parsedBody } from '../../http/middlewares/scimBodyParser';
import { baseUrl } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent } from '../../http/types';
import { pageLimits } from './common';
import type { HandlerDeps } from './deps';
import { parseSearchRequest, type ListQuery } from '../../scim/messages';
import { queryResources, type RenderedPage } from './queryResources';
import { takeWithinBudget } from '../../scim/responseBudget';
import { RESPONSE_BUDGET_BYTES } from '../../contracts/awsLimits';

/** A page that matched nothing because the filter names an attribute this type lacks. */
interface NoSuchAttribute {
  readonly unknownAttribute: ScimError;
  /** The sortBy attribute is not one of this type's (its resources sort last). */
  readonly unknownSortAttribute: ScimError;
}

/**
 * A filter naming an attribute one resource type lacks matches nothing of that type (RFC 7644
 * §3.4.3); a sortBy attribute it lacks leaves its resources unsorted, after the others.
 */
async function queryOrEmpty(
  deps: HandlerDeps,
  type: 'User' | 'Group',
  q: ListQuery,
  base: string,
  budget = RESPONSE_BUDGET_BYTES,
): Promise<RenderedPage & Partial<NoSuchAttribute>> {
  try {
    return await queryResources(deps, type, q, base, budget);
  } catch (e) {
    if (isScimError(e) && e.reason === 'unknownFilterAttribute') {
      return { resources: [], totalResults: 0, unknownAttribute: e };
    }
    if (isScimError(e) && q.sortBy && e.reason === 'unknownSortAttribute') {
      const page = await queryOrEmpty(deps, type, { ...q, sortBy: undefined }, base, budget);
      return { ...page, sortValues: page.resources.map(() => undefined), unknownSortAttribute: e };
    }
    throw e;
  }
}

/**
 * With sortBy, both types are read sorted up to the end of the requested page and merged, so the
 * concatenated index follows one order (Users first on ties); each type's read stays bounded by
 * the store's sort bound.
 */
async function sortedAcrossTypes(deps: HandlerDeps, q: ListQuery, base: string): Promise<RenderedPage & Partial<NoSuchAttribute>> {
  const window = { ...q, startIndex: 1, count: q.startIndex - 1 + q.count };
  // The windows are merged before the page is cut, so the byte budget applies to the page below.
  const users = await queryOrEmpty(deps, 'User', window, base, Infinity);
  const groups = await queryOrEmpty(deps, 'Group', window, base, Infinity);
  if (users.unknownAttribute && groups.unknownAttribute) return users;
  // A sortBy neither type has is the client's mistake, as on /Users (400), not an unsorted 200.
  if (users.unknownSortAttribute && groups.unknownSortAttribute) throw users.unknownSortAttribute;
  const tagged = [users, groups].flatMap((page, type) => page.resources.map((resource, i) => ({ resource, key: page.sortValues?.[i], type })));
  tagged.sort((a, b) => compareSortValues(a.key, b.key, q.sortOrder) || a.type - b.type);
  const page = tagged.slice(q.startIndex - 1, q.startIndex - 1 + q.count).map((t) => t.resource);
  const fitting = await takeWithinBudget(page, async (r) => r, RESPONSE_BUDGET_BYTES);
  if (fitting.truncated && fitting.items.length === 0) {
    throw ScimError.badRequest('tooMany', 'A resource alone exceeds the size of one response: ask with attributes or excludedAttributes');
  }
  return { resources: fitting.items, totalResults: users.totalResults + groups.totalResults };
}

/**
 * POST /.search across Users and Groups (RFC 7644 §3.4.3): Users first, then Groups, paged by
 * startIndex over the concatenation, or one merged order with sortBy. Cursor paging is per
 * resource type only.
 */
export function rootSearchRoutes(deps: HandlerDeps): Route[] {
  const search = async (event: ScimEvent) => {
    const q = parseSearchRequest(parsedBody(event), pageLimits(deps));
    if (q.cursor !== undefined) throw ScimError.badRequest('invalidValue', 'Cursor paging is supported on /Users/.search and /Groups/.search, not across types');
    const base = baseUrl(event);
    if (q.sortBy) {
      const page = await sortedAcrossTypes(deps, q, base);
      if (page.unknownAttribute) throw page.unknownAttribute;
      return scimResponse(200, listResponse({ resources: page.resources, totalResults: page.totalResults, startIndex: q.startIndex }));
    }
    const users = await queryOrEmpty(deps, 'User', q, base);
    // Groups fill what the Users page left of `count` and of the byte budget, continuing the
    // concatenated index; a Users page the budget cut short leaves no room.
    const remaining = users.truncated ? 0 : Math.max(0, q.count - users.resources.length);
    const groupStart = Math.max(1, q.startIndex - users.totalResults);
    const groupBudget = RESPONSE_BUDGET_BYTES - (users.bytes ?? 0);
    const groups = await queryOrEmpty(deps, 'Group', { ...q, startIndex: groupStart, count: remaining }, base, groupBudget);
    // Unknown to every type: an empty 200 would read as "no such resource" (docs/idp-quirks.md), so 400.
    if (users.unknownAttribute && groups.unknownAttribute) throw users.unknownAttribute;
    return scimResponse(
      200,
      listResponse({
        resources: [...users.resources, ...groups.resources],
        totalResults: users.totalResults + groups.totalResults,
        startIndex: q.startIndex,
      }),
    );
  };
  return [{ method: 'POST', pattern: /^\/\.search$/i, handle: search }];
}
