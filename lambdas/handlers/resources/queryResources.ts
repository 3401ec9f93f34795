import { ScimError } from '../../scim/errors';
import { compileFilter, planFilter, printFilter } from '../../scim/filter';
import { requestsAttribute, projectResource, type ProjectionOptions } from '../../scim/projection';
import { parsePath, resolveAttribute } from '../../scim/path';
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

/** A sortBy path resolved against the schemas: where its value lives in a rendered resource. */
interface SortPath {
  /** Extension URN key, for extension attributes. */
  readonly container?: string;
  readonly attr: string;
  readonly sub?: string;
}

function getIgnoringCase(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const lower = name.toLowerCase();
  return Object.entries(obj as Record<string, unknown>).find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Multi-valued attributes sort by their primary (or first) value (RFC 7644 §3.4.2.3). */
function primaryOf(v: unknown): unknown {
  return Array.isArray(v) ? (v.find((e) => (e as Record<string, unknown>)?.primary === true) ?? v[0]) : v;
}

/** The value a resource sorts by; strings compare case-insensitively (caseExact false is the default). */
function sortValue(resource: Record<string, unknown>, path: SortPath): unknown {
  const base = path.container ? getIgnoringCase(resource, path.container) : resource;
  let v = primaryOf(getIgnoringCase(base, path.attr));
  if (path.sub) v = getIgnoringCase(v, path.sub);
  else if (v !== null && typeof v === 'object') v = (v as Record<string, unknown>).value;
  return typeof v === 'string' ? v.toLowerCase() : v;
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
    const path = resolveSortPath(deps, resourceType, q.sortBy);
    sortBy = (r) => sortValue(renderResource(r, baseUrl), path);
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

function resolveSortPath(deps: HandlerDeps, resourceType: 'User' | 'Group', sortBy: string): SortPath {
  const unknown = () => ScimError.badRequest('invalidValue', `sortBy names an unknown attribute: ${sortBy.slice(0, 100)}`);
  let path: ReturnType<typeof parsePath>;
  try {
    path = parsePath(sortBy);
  } catch {
    throw unknown();
  }
  const resolved = resolveAttribute(deps.registry, resourceType, path);
  if (!resolved || path.filter) throw unknown();
  return { container: resolved.extension?.id, attr: resolved.def.name, sub: path.sub };
}
