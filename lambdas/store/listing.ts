import { InvalidCursorError, TooManyResultsError } from './errors';
import type { ResourceType } from './keys';
import { fromResourceItem, type StoredResource } from './items';
import { decodeCursor, encodeCursor } from './paging';
import { loadPageCursor, savePageCursor } from './pageCursors';
import { LISTING_INDEX, TABLE_DEFINITION } from '../contracts/tableDefinition';
import type { TableContext } from './tableContext';
import type { QueryResult, ResourceQuery } from './types';

/**
 * Listings on GSI2 (a resource type in creation order) and the sharded counter behind their
 * totalResults (docs/design.md pattern 8).
 */

const PAGE_CURSOR_KIND = 'list';
/** Entries skipped per Query when a random-access startIndex has no page cursor. */
const SKIP_PAGE = 1000;

/** The Query of a type's listing partition (GSI2: the type's resources in creation order, whole items). */
export function listingQuery(ctx: TableContext, type: ResourceType) {
  return {
    IndexName: LISTING_INDEX.indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': LISTING_INDEX.partitionKey },
    ExpressionAttributeValues: { ':pk': ctx.keys.listingPartition(type) },
  };
}

/** The listing's resume key from a cursor, which must name this type's listing in this key space. */
function resumeKey(ctx: TableContext, type: ResourceType, hash: string, cursor: string, cursorKey: Buffer): Record<string, unknown> {
  const k = decodeCursor(cursorKey, hash, cursor).k;
  if (!k || k[LISTING_INDEX.partitionKey] !== ctx.keys.listingPartition(type)) throw new InvalidCursorError();
  return k;
}

/**
 * Unfiltered listing in creation order on GSI2, one page read per request: totalResults from the
 * sharded counter (1 Query); sequential startIndex pages resume from a page-cursor item written
 * when the previous page was served (TTL), so each costs O(count), not O(startIndex).
 */
export async function streamListing(ctx: TableContext, type: ResourceType, q: ResourceQuery, count: number, startIndex: number, fingerprint: string): Promise<QueryResult> {
  const hash = ctx.queryHash(type, fingerprint, PAGE_CURSOR_KIND);
  const base = listingQuery(ctx, type);
  let start: Record<string, unknown> | undefined;
  let knownStart = false;
  const totalPromise = countResources(ctx, type);
  if (count === 0) return { resources: [], totalResults: await totalPromise };
  if (q.cursor) {
    start = resumeKey(ctx, type, hash, q.cursor, await ctx.cursorKey());
    knownStart = true;
  } else if (q.cursor === undefined && startIndex > 1) {
    start = (await loadPageCursor(ctx, hash, startIndex))?.lastKey;
    knownStart = start !== undefined;
  } else {
    knownStart = true;
  }
  if (!knownStart) {
    // Random access: skip startIndex-1 entries (O(startIndex) once; later sequential pages are cheap).
    const projection = [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey, LISTING_INDEX.partitionKey, LISTING_INDEX.sortKey];
    let skipped = 0;
    while (skipped < startIndex - 1) {
      const page = await ctx.queryPage({
        ...base,
        ExpressionAttributeNames: { ...base.ExpressionAttributeNames, ...Object.fromEntries(projection.map((p, i) => [`#k${i}`, p])) },
        ExclusiveStartKey: start,
        Limit: Math.min(startIndex - 1 - skipped, SKIP_PAGE),
        ProjectionExpression: projection.map((_, i) => `#k${i}`).join(', '),
      });
      skipped += page.items.length;
      start = page.lastKey;
      if (!start) return { resources: [], totalResults: await totalPromise };
    }
  }
  const resources: StoredResource[] = [];
  let lastKey = start;
  while (resources.length < count) {
    const page = await ctx.queryPage({ ...base, ExclusiveStartKey: lastKey, Limit: count - resources.length });
    for (const item of page.items) {
      const r = fromResourceItem(item);
      if (r) resources.push(r);
    }
    lastKey = page.lastKey;
    if (!lastKey) break;
  }
  const result: QueryResult = { resources, totalResults: await totalPromise };
  if (lastKey) {
    if (q.cursor !== undefined) result.nextCursor = encodeCursor(await ctx.cursorKey(), hash, { k: lastKey as Record<string, string> });
    else await savePageCursor(ctx, hash, startIndex + resources.length, { lastKey });
  }
  return result;
}

/**
 * Reads a whole listing, or TooManyResultsError past maxScanItems, saying whether a filter or a
 * sortBy without an index asked for it.
 */
export async function boundedListing(ctx: TableContext, type: ResourceType, reason: 'filter' | 'sort' = 'filter'): Promise<StoredResource[]> {
  const max = ctx.limits.maxScanItems;
  const { items, truncated } = await ctx.queryBounded(listingQuery(ctx, type), max);
  if (truncated) throw new TooManyResultsError(max, { reason });
  return items.map(fromResourceItem).filter((r): r is StoredResource => r !== undefined);
}

/** totalResults of an unfiltered listing: the sum of the counter shards (one Query). */
export async function countResources(ctx: TableContext, type: ResourceType): Promise<number> {
  const page = await ctx.queryPage({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': ctx.keys.counterPartition(type) },
    ConsistentRead: true,
  });
  return Math.max(0, page.items.reduce((n, i) => n + Number(i.count ?? 0), 0));
}
