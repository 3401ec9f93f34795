import { ScimError } from '../../scim/errors';
import { compileFilter, planFilter, printFilter, type FilterNode } from '../../scim/filter';
import type { SortIndexName } from '../../scim/filter/plan';
import { sortIndexOf, tooManyDetail, type UnservedReason } from '../../scim/queryCapabilities';
import { requestsAttribute, projectResource, type ProjectionOptions } from '../../scim/projection';
import { resolveSortBy, sortKeyOf } from '../../scim/sortKey';
import type { StoredResource } from '../../store';
import { checkFilterSupport, planProvesMembership } from '../../scim/filter';
import type { HandlerDeps } from './deps';
import type { ListQuery } from '../../scim/messages';
import { renderResource } from '../../scim/render';
import { loadMembersForResponse } from './members';
import { takeWithinBudget } from '../../scim/responseBudget';
import { RESPONSE_BUDGET_BYTES } from '../../contracts/awsLimits';

/** One page of rendered, projected resources. */
export interface RenderedPage {
  readonly resources: Record<string, unknown>[];
  /** With sortBy: each resource's sort value, for merging pages of several types (POST /.search). */
  readonly sortValues?: unknown[];
  readonly totalResults: number;
  readonly nextCursor?: string;
  /** Serialized size of `resources` (lambdas/scim/responseBudget.ts). */
  readonly bytes?: number;
  /** True when the byte budget cut the page short of `count`. */
  readonly truncated?: boolean;
}

/**
 * Serves a list or search for one resource type: plans the filter into a key lookup, applies the
 * full filter to the candidates, sorts and pages in the store, then renders and projects, stopping
 * before the page's serialized size passes `budget` (Lambda's 6 MB response, less the envelope).
 */
export async function queryResources(
  deps: HandlerDeps,
  resourceType: 'User' | 'Group',
  q: ListQuery,
  baseUrl: string,
  budget: number = RESPONSE_BUDGET_BYTES,
): Promise<RenderedPage> {
  const { registry, store } = deps;
  const ctx = { registry, resourceType };
  let plan: ReturnType<typeof planFilter> = { kind: 'list' };
  let predicate: ((r: StoredResource) => boolean) | undefined;
  if (q.filter) {
    const { memberValue } = checkFilterSupport(q.filter, resourceType);
    plan = planFilter(q.filter, resourceType);
    if (memberValue !== undefined && !planProvesMembership(plan, memberValue)) {
      throw ScimError.badRequest('invalidFilter', 'A members filter must be the whole filter or ANDed with other conditions');
    }
    const matches = compileFilter(q.filter, ctx);
    // The group item holds no members: the membership the lookup proved is put back for the evaluator.
    const members = memberValue !== undefined ? [{ value: memberValue }] : undefined;
    predicate = (r) => matches({ ...renderResource(r, baseUrl), ...(members ? { members } : {}) });
  }
  let sortBy: ((r: StoredResource) => unknown) | undefined;
  let sortIndex: SortIndexName | undefined;
  if (q.sortBy) {
    const target = resolveSortBy(registry, resourceType, q.sortBy);
    sortBy = (r) => sortKeyOf(renderResource(r, baseUrl), target);
    sortIndex = sortIndexOf(resourceType, target);
  }
  const storeQuery = (count: number) =>
    (resourceType === 'User' ? store.queryUsers : store.queryGroups)
      .call(store, {
        plan,
        predicate,
        fingerprint: `${q.filter ? printFilter(q.filter) : ''}|${q.sortBy ?? ''}|${q.sortOrder}`,
        startIndex: q.startIndex,
        count,
        cursor: q.cursor,
        sortBy,
        sortOrder: q.sortOrder,
        sortIndex,
      })
      .catch((e: unknown) => {
        throw explainTooMany(e, { resourceType, filter: q.filter, sortBy: q.sortBy });
      });
  const result = await storeQuery(q.count);
  const projection: ProjectionOptions = { attributes: q.attributes, excludedAttributes: q.excludedAttributes, registry, resourceType };
  const budgeted = await takeWithinBudget(result.resources, (r) => renderWithExtras(deps, r, baseUrl, projection), budget);
  // Nothing fits a whole page's budget: no page could ever hold it. (A smaller budget is what an
  // earlier part of the same answer left, as in POST /.search: then the page just ends here.)
  if (budgeted.truncated && budgeted.items.length === 0 && budget >= RESPONSE_BUDGET_BYTES) throw resourceTooLarge(result.resources[0]);
  let nextCursor = result.nextCursor;
  if (budgeted.truncated) {
    // The page stops early (RFC 7644 §3.4.2.4: itemsPerPage < count). Asking the store again for
    // exactly the kept number gives the cursor, or the saved startIndex position, after the last
    // resource kept: the next page starts right after it. Rare (only pages over ~6 MB), and costs
    // one more read of what was already read.
    nextCursor = (await storeQuery(budgeted.items.length)).nextCursor;
  }
  const kept = result.resources.slice(0, budgeted.items.length);
  return {
    resources: budgeted.items,
    totalResults: result.totalResults,
    nextCursor,
    bytes: budgeted.bytes,
    truncated: budgeted.truncated,
    ...(sortBy ? { sortValues: kept.map(sortBy) } : {}),
  };
}

/** One resource alone over the response budget: say how to ask for it instead (never a 502). */
function resourceTooLarge(r: StoredResource | undefined): ScimError {
  return ScimError.badRequest(
    'tooMany',
    `${r ? `${r.resourceType} ${r.id}` : 'A resource'} alone exceeds the size of one response: ask for it with attributes or excludedAttributes ` +
      '(e.g. excludedAttributes=members or attributes=id,displayName)',
  );
}

/** Renders one resource with the computed attributes the projection asks for, then projects it. */
export async function renderWithExtras(deps: HandlerDeps, r: StoredResource, baseUrl: string, projection: ProjectionOptions): Promise<Record<string, unknown>> {
  const wantsMembers = r.resourceType === 'Group' && requestsAttribute(projection, 'members');
  const wantsGroups = r.resourceType === 'User' && requestsAttribute(projection, 'groups');
  const members = wantsMembers ? await loadMembersForResponse(deps, r) : undefined;
  const groups = wantsGroups ? await deps.store.groupsOfUser(r.id, { indirect: true }) : undefined;
  return projectResource(renderResource(r, baseUrl, { members, groups }), projection);
}

/**
 * The store's TooManyResultsError for a filter or sort without an index, worded for the client:
 * it names the attribute asked for (only sortBy when no filter was sent) and what scales instead.
 * Any other error passes through.
 */
function explainTooMany(e: unknown, q: { resourceType: 'User' | 'Group'; filter?: FilterNode; sortBy?: string }): unknown {
  if (!(e instanceof Error) || e.name !== 'TooManyResultsError') return e;
  const { reason, range, limit } = e as Error & { reason?: UnservedReason; range?: SortIndexName; limit?: number };
  if (reason === undefined || limit === undefined) return e;
  // A bounded listing asked for by sortBy alone is about the sort, whatever the store assumed.
  const why: UnservedReason = reason === 'filter' && !q.filter ? 'sort' : reason;
  return ScimError.badRequest('tooMany', tooManyDetail({ reason: why, resourceType: q.resourceType, limit, filter: q.filter, sortBy: q.sortBy }, range));
}
