import { ScimError } from '../../scim/errors';
import { compileFilter, planFilter, printFilter } from '../../scim/filter';
import { requestsAttribute, projectResource, type ProjectionOptions } from '../../scim/projection';
import { resolveSortBy, sortKeyOf } from '../../scim/sortKey';
import type { StoredResource } from '../../store';
import { checkFilterSupport, planProvesMembership } from './filterSupport';
import type { HandlerDeps } from './deps';
import type { ListQuery } from './listQuery';
import { renderResource } from './renderResource';
import { loadMembersForResponse } from './members';

/** One page of rendered, projected resources. */
export interface RenderedPage {
  readonly resources: Record<string, unknown>[];
  /** With sortBy: each resource's sort value, for merging pages of several types (POST /.search). */
  readonly sortValues?: unknown[];
  readonly totalResults: number;
  readonly nextCursor?: string;
}

/**
 * Serves a list or search for one resource type: plans the filter into a key lookup, applies the
 * full filter to the candidates, sorts and pages in the store, then renders and projects.
 */
export async function queryResources(deps: HandlerDeps, resourceType: 'User' | 'Group', q: ListQuery, baseUrl: string): Promise<RenderedPage> {
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
  if (q.sortBy) {
    const target = resolveSortBy(registry, resourceType, q.sortBy);
    sortBy = (r) => sortKeyOf(renderResource(r, baseUrl), target);
  }
  const result = await (resourceType === 'User' ? store.queryUsers : store.queryGroups).call(store, {
    plan,
    predicate,
    fingerprint: `${q.filter ? printFilter(q.filter) : ''}|${q.sortBy ?? ''}|${q.sortOrder}`,
    startIndex: q.startIndex,
    count: q.count,
    cursor: q.cursor,
    sortBy,
    sortOrder: q.sortOrder,
  });
  const projection: ProjectionOptions = { attributes: q.attributes, excludedAttributes: q.excludedAttributes, registry, resourceType };
  const resources = await Promise.all(result.resources.map((r) => renderWithExtras(deps, r, baseUrl, projection)));
  return { resources, totalResults: result.totalResults, nextCursor: result.nextCursor, ...(sortBy ? { sortValues: result.resources.map(sortBy) } : {}) };
}

/** Renders one resource with the computed attributes the projection asks for, then projects it. */
export async function renderWithExtras(deps: HandlerDeps, r: StoredResource, baseUrl: string, projection: ProjectionOptions): Promise<Record<string, unknown>> {
  const wantsMembers = r.resourceType === 'Group' && requestsAttribute(projection, 'members');
  const wantsGroups = r.resourceType === 'User' && requestsAttribute(projection, 'groups');
  const members = wantsMembers ? await loadMembersForResponse(deps, r) : undefined;
  const groups = wantsGroups ? await deps.store.groupsOfUser(r.id, { indirect: true }) : undefined;
  return projectResource(renderResource(r, baseUrl, { members, groups }), projection);
}
