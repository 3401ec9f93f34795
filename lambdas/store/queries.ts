import type { StorePlan } from '../scim/filter/plan';
import { compareSortValues } from '../scim/compareSortValues';
import { InvalidCursorError, TooManyResultsError } from './errors';
import { keyFits, type ResourceType } from './keys';
import { fromResourceItem, type StoredResource } from './items';
import { keyString } from './batch';
import { decodeCursor, encodeCursor } from './paging';
import { getResource } from './resources';
import { parentGroups } from './memberships';
import { boundedListing, streamListing } from './listing';
import { hasSortedIndex, querySorted } from './sortedQueries';
import type { TableContext } from './tableContext';
import type { QueryResult, ResourceQuery } from './types';

/**
 * Queries: a filter's key plan (lambdas/scim/filter/planFilter.ts) picks the cheapest read that
 * yields a superset of the matches; the full filter then runs as a predicate (docs/design.md patterns
 * 2, 3, 8). Without a predicate or sort, listings stream (listing.ts).
 */

/** Queries one resource type by plan, predicate and paging (see ResourceQuery). */
export async function queryResources(ctx: TableContext, type: ResourceType, q: ResourceQuery): Promise<QueryResult> {
  const plan = normalizePlan(ctx, type, q.plan);
  const count = Math.max(0, q.count);
  const startIndex = Math.max(1, q.startIndex ?? 1);
  const fingerprint = q.fingerprint ?? '';
  if (plan.kind === 'list' && !q.predicate && !q.sortBy) return streamListing(ctx, type, q, count, startIndex, fingerprint);
  // Sorted indexes: sortBy on an indexed attribute, and index ranges (sw, gt/ge/lt/le).
  const sorted = ctx.limits.sortedIndexes ? await querySorted(ctx, type, q, plan) : undefined;
  if (sorted) return sorted;
  // Materialized: a small candidate set from keys, or a bounded listing.
  const candidates = plan.kind === 'list' ? await boundedListing(ctx, type, q.predicate ? 'filter' : 'sort') : await candidatesOf(ctx, type, plan);
  let matches = q.predicate ? candidates.filter(q.predicate) : candidates;
  if (q.sortBy) matches = sortResources(matches, q.sortBy, q.sortOrder ?? 'ascending');
  const hash = ctx.queryHash(type, fingerprint, 'materialized');
  const offset = q.cursor ? (decodeCursor(await ctx.cursorKey(), hash, q.cursor).o ?? invalidCursor()) : startIndex - 1;
  const resources = matches.slice(offset, offset + count);
  const result: QueryResult = { resources, totalResults: matches.length };
  if (q.cursor !== undefined && offset + count < matches.length && count > 0) result.nextCursor = encodeCursor(await ctx.cursorKey(), hash, { o: offset + count });
  return result;
}

/** Candidates of a key plan (<= 2 requests a plan; strongly consistent except the reverse index). */
async function candidatesOf(ctx: TableContext, type: ResourceType, plan: StorePlan): Promise<StoredResource[]> {
  const { keys } = ctx;
  switch (plan.kind) {
    case 'id': {
      if (type === 'Group' && plan.memberValue !== undefined) {
        const groupKey = keys.resource(type, plan.value);
        const membership = keys.membership(plan.value, plan.memberValue);
        const items = await ctx.batchGet([groupKey, membership], { consistent: true });
        const g = fromResourceItem(items.get(keyString(groupKey)));
        return g && items.has(keyString(membership)) ? [g] : [];
      }
      const r = await getResource(ctx, type, plan.value);
      return r ? [r] : [];
    }
    case 'userName':
    case 'displayName': {
      const marker = await ctx.getItem(keys.unique(type, plan.kind, plan.value));
      if (!marker) return [];
      const r = await getResource(ctx, type, marker.id as string);
      return r ? [r] : [];
    }
    case 'externalId':
    case 'email': {
      const partition = keys.lookupPartition(type, plan.kind, plan.value);
      if (!keyFits({ PK: partition })) return [];
      const max = ctx.limits.maxScanItems;
      const { items, truncated } = await ctx.queryBounded({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true }, max);
      if (truncated) throw new TooManyResultsError(max);
      const wantType = plan.kind === 'email' ? plan.type?.toLowerCase() : undefined;
      const ids = items.filter((i) => !wantType || ((i.emailTypes as string[] | undefined) ?? []).includes(wantType)).map((i) => i.id as string);
      return loadResources(ctx, type, ids, true);
    }
    case 'member': {
      const groupIds = await parentGroups(ctx, [plan.value]);
      return loadResources(ctx, type, groupIds, false);
    }
    case 'union': {
      const all = await Promise.all(plan.plans.map((p) => candidatesOf(ctx, type, normalizePlan(ctx, type, p))));
      const byId = new Map<string, StoredResource>();
      for (const r of all.flat()) byId.set(r.id, r);
      return [...byId.values()];
    }
    case 'range':
    case 'list':
      return boundedListing(ctx, type, 'filter');
  }
}

/** The live resources among `ids`, in that order (one BatchGet a hundred). */
async function loadResources(ctx: TableContext, type: ResourceType, ids: readonly string[], consistent: boolean): Promise<StoredResource[]> {
  if (ids.length === 0) return [];
  const items = await ctx.batchGet(ids.map((id) => ctx.keys.resource(type, id)), { consistent });
  return ids.map((id) => fromResourceItem(items.get(keyString(ctx.keys.resource(type, id))))).filter((r): r is StoredResource => r !== undefined);
}

/** Plans the other resource type's kinds would mean nothing here: serve them by the bounded listing (sound). */
function normalizePlan(ctx: TableContext, type: ResourceType, plan: StorePlan): StorePlan {
  if (type === 'User' && (plan.kind === 'displayName' || plan.kind === 'member')) return { kind: 'list' };
  if (type === 'Group' && (plan.kind === 'userName' || plan.kind === 'email')) return { kind: 'list' };
  if (plan.kind === 'range' && (!ctx.limits.sortedIndexes || !hasSortedIndex(type, plan.index))) return { kind: 'list' };
  return plan;
}

function sortResources(rs: StoredResource[], by: (r: StoredResource) => unknown, order: 'ascending' | 'descending'): StoredResource[] {
  const keyed = rs.map((r) => ({ r, k: by(r) }));
  keyed.sort((a, b) => compareSortValues(a.k, b.k, order));
  return keyed.map((x) => x.r);
}

function invalidCursor(): never {
  throw new InvalidCursorError();
}
