import type { StorePlan, SortIndexName } from '../scim/filter/plan';
import { compareSortValues } from '../scim/compareSortValues';
import { InvalidCursorError, TooManyResultsError } from './errors';
import type { ResourceType } from './keys';
import { fromResourceItem, type StoredResource } from './items';
import { keyString } from './batch';
import { decodeCursor, encodeCursor } from './paging';
import { loadPageCursor, savePageCursor } from './pageCursors';
import { countResources } from './listing';
import { instantSortKey, namePrefixKey, sortedIndexFor, type SortedIndex } from './sortedIndexes';
import { TABLE_DEFINITION } from '../contracts/tableDefinition';
import type { TableContext } from './tableContext';
import type { QueryResult, ResourceQuery } from './types';

/**
 * Queries served by a sorted index (sortedIndexes.ts): `sortBy` on an indexed attribute, and the
 * index ranges of `userName sw`, `displayName sw`/`eq` and `meta.created`/`meta.lastModified`
 * gt|ge|lt|le. What each costs, per request:
 * - a page in index order (sortBy alone, or an exact range in its own order): one keys-only Query
 *   of `count` entries and one BatchGet of the items (eventually consistent); stale entries the
 *   filter no longer matches are dropped and the page refilled, at most MAX_INDEX_READS Queries a
 *   request (a short page then carries a cursor). totalResults is the type's counter (1 Query) for
 *   sortBy alone; for a range it is a Select COUNT of the range (keys only, about 1 Query per
 *   5,000 entries), counted on the first page and carried in the cursor or page-cursor item after.
 *   startIndex pages resume from page-cursor items as the plain listing does; a random startIndex
 *   skips keys only.
 * - a range with a further condition, in the range's order: a range of at most maxScanItems is read
 *   whole and filtered (exact totalResults). A larger range streams: each request reads the range's
 *   keys and items in order from where the previous page stopped, applies the filter, and stops at
 *   a full page or after 2 x maxScanItems entries (a page cut short carries its cursor). Cost
 *   is the range's part read, not the tenant's size. totalResults is then the range's keys-only
 *   COUNT (an upper bound) until the page that reaches the range's end, which carries the exact
 *   number of matches; `startIndex` pages continue from page-cursor items, so they must follow
 *   each other (a random startIndex over such a range is 400 tooMany saying so).
 * - a range sorted by another attribute: the range (at most maxScanItems) is read and sorted in
 *   memory; past the bound, 400 tooMany naming the range (reason rangeSort).
 */

/** Index Queries one request may make to fill a page whose entries the filter drops. */
const MAX_INDEX_READS = 10;
/** Keys skipped per Query for a random-access startIndex. */
const SKIP_PAGE = 2000;
const PAGE_CURSOR_KIND = 'index';
/**
 * Index entries one request may read (and BatchGet) to fill a page of a filtered range, as a
 * multiple of maxScanItems (the bound on unindexed work): 4,000 by default, about 40 eventually
 * consistent BatchGets of 1 KB users (~2,000 RCU), well inside API Gateway's 29 s. A filter that
 * matches fewer than `count` of them gets a short page with its cursor.
 */
const FILTERED_ENTRIES_PER_BOUND = 2;
const FILTERED_PAGE_CURSOR_KIND = 'filtered';

type RangePlan = Extract<StorePlan, { kind: 'range' }>;

/** A Query's key condition over one sorted index: the partition and the range, if any. */
interface IndexScope {
  readonly index: SortedIndex;
  readonly input: {
    IndexName: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
  /** True when the range holds nothing (e.g. `lt` the epoch): no read at all. */
  readonly empty: boolean;
}

/** The sorted index serving `index` for `type` (undefined: the type has no such order). */
export function hasSortedIndex(type: ResourceType, index: SortIndexName): boolean {
  return sortedIndexFor(type, index) !== undefined;
}

function scopeOf(ctx: TableContext, type: ResourceType, index: SortIndexName, range?: RangePlan): IndexScope {
  const idx = sortedIndexFor(type, index)!;
  const names: Record<string, string> = { '#pk': idx.gsi.partitionKey };
  const values: Record<string, unknown> = { ':pk': idx.partition(ctx.keys, type) };
  let condition = '#pk = :pk';
  let empty = false;
  if (range?.prefix !== undefined) {
    names['#sk'] = idx.gsi.sortKey;
    values[':prefix'] = namePrefixKey(range.prefix);
    condition += ' AND begins_with(#sk, :prefix)';
  } else if (range && (range.from !== undefined || range.to !== undefined)) {
    const from = range.from ?? 0;
    const to = range.to;
    // ISO 8601 strings with a four-digit year: outside 0000-9999 no stored instant can match.
    if (from > 253402300799999 || (to !== undefined && (to < 0 || to < from))) empty = true;
    names['#sk'] = idx.gsi.sortKey;
    values[':lo'] = instantSortKey(Math.max(0, from));
    if (to === undefined) condition += ' AND #sk >= :lo';
    else {
      // GSI2's sort key is `<created>#<id>`: anything after the instant's text belongs to it.
      values[':hi'] = `${instantSortKey(Math.max(0, Math.min(to, 253402300799999)))}\uffff`;
      condition += ' AND #sk BETWEEN :lo AND :hi';
    }
  }
  return { index: idx, input: { IndexName: idx.gsi.indexName, KeyConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values }, empty };
}

/** The live resources of index entries, in the entries' order (one BatchGet a hundred). */
async function loadEntries(ctx: TableContext, type: ResourceType, entries: readonly Record<string, unknown>[]): Promise<StoredResource[]> {
  return (await loadEntryResources(ctx, type, entries)).filter((r): r is StoredResource => r !== undefined);
}

/**
 * Serves `q` from a sorted index when one applies: a `range` plan, or no filter with an indexed
 * `sortIndex`. Undefined when no sorted index applies (the caller's materialized paths run).
 */
export async function querySorted(ctx: TableContext, type: ResourceType, q: ResourceQuery, plan: StorePlan): Promise<QueryResult | undefined> {
  const count = Math.max(0, q.count);
  const startIndex = Math.max(1, q.startIndex ?? 1);
  const sortIndex = q.sortBy && q.sortIndex && hasSortedIndex(type, q.sortIndex) ? q.sortIndex : undefined;
  const descending = q.sortBy !== undefined && q.sortOrder === 'descending';
  if (plan.kind === 'range') {
    const scope = scopeOf(ctx, type, plan.index, plan);
    if (scope.empty) return { resources: [], totalResults: 0 };
    const inOrder = !q.sortBy || sortIndex === plan.index;
    if (plan.exact && inOrder) {
      return streamIndex(ctx, type, q, scope, { count, startIndex, descending, total: () => ctx.queryCount(scope.input) });
    }
    const opts = { count, startIndex, descending: inOrder && descending, reason: inOrder ? 'rangePredicate' : 'rangeSort', range: plan.index } as const;
    return inOrder ? filterRange(ctx, type, q, scope, opts) : materializeRange(ctx, type, q, scope, opts);
  }
  if (plan.kind === 'list' && !q.predicate && sortIndex) {
    const scope = scopeOf(ctx, type, sortIndex);
    return streamIndex(ctx, type, q, scope, { count, startIndex, descending, total: () => countResources(ctx, type) });
  }
  return undefined;
}

/** Streams index entries in order, a page at a time (see the header for the cost). */
async function streamIndex(
  ctx: TableContext,
  type: ResourceType,
  q: ResourceQuery,
  scope: IndexScope,
  opts: { count: number; startIndex: number; descending: boolean; total: () => Promise<number> },
): Promise<QueryResult> {
  const { count, startIndex, descending } = opts;
  const hash = ctx.queryHash(type, q.fingerprint ?? '', PAGE_CURSOR_KIND, scope.index.gsi.indexName);
  const base = { ...scope.input, ScanIndexForward: !descending };
  const resumed = await resumePosition(ctx, q, scope, startIndex, { hash, pageHash: hash });
  // An offset cursor belongs to a materialized result, not to this stream.
  if (q.cursor && !resumed) throw new InvalidCursorError();
  let start = resumed?.start;
  // Only a random startIndex (no live page cursor) has to find its start.
  const knownStart = resumed !== undefined || q.cursor !== undefined || startIndex <= 1;
  const totalPromise = resumed?.total !== undefined ? Promise.resolve(resumed.total) : opts.total();
  if (count === 0) return { resources: [], totalResults: await totalPromise };
  if (!knownStart) {
    // Random access: skip startIndex-1 keys (O(startIndex) once; later sequential pages are cheap).
    let skipped = 0;
    while (skipped < startIndex - 1) {
      const page = await ctx.queryPage({ ...base, ExclusiveStartKey: start, Limit: Math.min(startIndex - 1 - skipped, SKIP_PAGE) });
      skipped += page.items.length;
      start = page.lastKey;
      if (!start) return { resources: [], totalResults: await totalPromise };
    }
  }
  const resources: StoredResource[] = [];
  let lastKey = start;
  for (let reads = 0; resources.length < count && reads < MAX_INDEX_READS; reads++) {
    const page = await ctx.queryPage({ ...base, ExclusiveStartKey: lastKey, Limit: count - resources.length });
    const loaded = await loadEntries(ctx, type, page.items);
    // The index lags its items a little: a resource that no longer matches is dropped, not shown.
    resources.push(...(q.predicate ? loaded.filter(q.predicate) : loaded));
    lastKey = page.lastKey;
    if (!lastKey) break;
  }
  const totalResults = await totalPromise;
  const result: QueryResult = { resources, totalResults };
  if (lastKey) {
    if (q.cursor !== undefined) result.nextCursor = encodeCursor(await ctx.cursorKey(), hash, { k: lastKey as Record<string, string>, t: totalResults });
    else await savePageCursor(ctx, hash, startIndex + resources.length, { lastKey, total: totalResults });
  }
  return result;
}

interface RangePageOptions {
  readonly count: number;
  readonly startIndex: number;
  readonly descending: boolean;
  readonly reason: 'rangePredicate' | 'rangeSort';
  readonly range: SortIndexName;
}

/** Where a stream over an index resumes: the index key after the last entry read, and matches so far. */
interface StreamPosition {
  readonly start?: Record<string, unknown>;
  readonly matched: number;
  readonly total?: number;
}

/**
 * Where a request resumes a stream over the scope's index: its cursor's key (`k`, which must lie
 * in the scope's partition, or the cursor is another query's), else the live page cursor saved for
 * its startIndex. Undefined when neither says: a first page, an offset cursor (`o`), a page cursor
 * gone or expired.
 */
async function resumePosition(
  ctx: TableContext,
  q: ResourceQuery,
  scope: IndexScope,
  startIndex: number,
  hashes: { hash: string; pageHash: string },
): Promise<(StreamPosition & { start: Record<string, unknown> }) | undefined> {
  if (q.cursor) {
    const state = decodeCursor(await ctx.cursorKey(), hashes.hash, q.cursor);
    if (!state.k) return undefined;
    if (state.k[scope.index.gsi.partitionKey] !== scope.input.ExpressionAttributeValues[':pk']) throw new InvalidCursorError();
    return { start: state.k, matched: state.n ?? 0, total: state.t };
  }
  if (q.cursor !== undefined || startIndex <= 1) return undefined;
  const saved = await loadPageCursor(ctx, hashes.pageHash, startIndex);
  return saved && { start: saved.lastKey, matched: saved.matched ?? 0, total: saved.total };
}

/**
 * A range with a further condition, in the range's order: resumes a stream (cursor `k`, or a
 * page-cursor item for the startIndex), else reads the range whole when it fits the bound, else
 * starts streaming it (only from the first page: a random startIndex cannot be found without
 * filtering everything before it).
 */
async function filterRange(ctx: TableContext, type: ResourceType, q: ResourceQuery, scope: IndexScope, opts: RangePageOptions): Promise<QueryResult> {
  const hash = ctx.queryHash(type, q.fingerprint ?? '', 'materialized');
  const pageHash = ctx.queryHash(type, q.fingerprint ?? '', FILTERED_PAGE_CURSOR_KIND, scope.index.gsi.indexName);
  const resumed = await resumePosition(ctx, q, scope, opts.startIndex, { hash, pageHash });
  if (resumed) return streamFiltered(ctx, type, q, scope, opts, resumed, { hash, pageHash });
  const max = ctx.limits.maxScanItems;
  const { items, truncated } = await ctx.queryBounded({ ...scope.input, ScanIndexForward: !opts.descending }, max);
  if (!truncated) return pageInMemory(ctx, type, q, items, opts);
  if (q.cursor === undefined && opts.startIndex > 1) throw new TooManyResultsError(max, { reason: 'rangePredicate', range: opts.range });
  // An offset cursor from when the range fitted the bound cannot be placed in the stream.
  if (q.cursor) throw new InvalidCursorError('the range grew past the bound since this cursor was issued: start again from the first page');
  return streamFiltered(ctx, type, q, scope, opts, { matched: 0 }, { hash, pageHash });
}

/** Streams a filtered range from `from` (see the header for what it costs and what totalResults says). */
async function streamFiltered(
  ctx: TableContext,
  type: ResourceType,
  q: ResourceQuery,
  scope: IndexScope,
  opts: RangePageOptions,
  from: StreamPosition,
  hashes: { hash: string; pageHash: string },
): Promise<QueryResult> {
  const base = { ...scope.input, ScanIndexForward: !opts.descending };
  const budget = FILTERED_ENTRIES_PER_BOUND * ctx.limits.maxScanItems;
  const resources: StoredResource[] = [];
  let start = from.start;
  let read = 0;
  let exhausted = false;
  while (opts.count > 0 && resources.length < opts.count && read < budget) {
    const want = Math.min(budget - read, Math.max(100, 2 * (opts.count - resources.length)));
    const page = await ctx.queryPage({ ...base, ExclusiveStartKey: start, Limit: want });
    read += page.items.length;
    const loaded = await loadEntryResources(ctx, type, page.items);
    let cut = -1;
    for (let i = 0; i < loaded.length; i++) {
      const r = loaded[i];
      if (r === undefined || (q.predicate && !q.predicate(r))) continue;
      resources.push(r);
      if (resources.length === opts.count) {
        cut = i;
        break;
      }
    }
    if (cut >= 0 && cut < page.items.length - 1) {
      // The page filled mid-way: resume right after the last entry served (its keys are a start key).
      start = startKeyOf(scope.index, page.items[cut]);
      break;
    }
    start = page.lastKey;
    if (!start) {
      exhausted = true;
      break;
    }
  }
  const matched = from.matched + resources.length;
  if (exhausted) return { resources, totalResults: matched };
  // Not at the end: the range's size bounds what is left (at least one more, so index-paging clients go on).
  const total = Math.max(from.total ?? (await ctx.queryCount(scope.input)), matched + 1);
  const result: QueryResult = { resources, totalResults: total };
  if (q.cursor !== undefined) result.nextCursor = encodeCursor(await ctx.cursorKey(), hashes.hash, { k: start as Record<string, string>, t: total, n: matched });
  else await savePageCursor(ctx, hashes.pageHash, opts.startIndex + resources.length, { lastKey: start!, total, matched });
  return result;
}

/** The table's and the index's key attributes of an index entry: a Query's ExclusiveStartKey. */
function startKeyOf(index: SortedIndex, entry: Record<string, unknown>): Record<string, unknown> {
  const names = [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey, index.gsi.partitionKey, index.gsi.sortKey];
  return Object.fromEntries(names.map((n) => [n, entry[n]]));
}

/** The live resource of each index entry, position for position (undefined: gone or another type). */
async function loadEntryResources(ctx: TableContext, type: ResourceType, entries: readonly Record<string, unknown>[]): Promise<(StoredResource | undefined)[]> {
  if (entries.length === 0) return [];
  const keys = entries.map((e) => ({ PK: String(e[TABLE_DEFINITION.partitionKey]), SK: String(e[TABLE_DEFINITION.sortKey]) }));
  const items = await ctx.batchGet(keys);
  return keys.map((k) => {
    const r = fromResourceItem(items.get(keyString(k)));
    return r !== undefined && r.resourceType === type ? r : undefined;
  });
}

/** Reads a whole range (at most maxScanItems) sorted by another attribute, sorts and pages it in memory. */
async function materializeRange(ctx: TableContext, type: ResourceType, q: ResourceQuery, scope: IndexScope, opts: RangePageOptions): Promise<QueryResult> {
  const max = ctx.limits.maxScanItems;
  const { items, truncated } = await ctx.queryBounded({ ...scope.input, ScanIndexForward: !opts.descending }, max);
  if (truncated) throw new TooManyResultsError(max, { reason: opts.reason, range: opts.range });
  return pageInMemory(ctx, type, q, items, opts);
}

/** Applies the filter to a range read whole, sorts it if asked by another attribute, and pages it. */
async function pageInMemory(ctx: TableContext, type: ResourceType, q: ResourceQuery, items: readonly Record<string, unknown>[], opts: RangePageOptions): Promise<QueryResult> {
  const loaded = await loadEntries(ctx, type, items);
  let matches = q.predicate ? loaded.filter(q.predicate) : loaded;
  if (q.sortBy && opts.reason === 'rangeSort') {
    const by = q.sortBy;
    const order = q.sortOrder ?? 'ascending';
    matches = matches.map((r) => ({ r, k: by(r) })).sort((a, b) => compareSortValues(a.k, b.k, order)).map((x) => x.r);
  }
  const hash = ctx.queryHash(type, q.fingerprint ?? '', 'materialized');
  const offset = q.cursor ? (decodeCursor(await ctx.cursorKey(), hash, q.cursor).o ?? invalidCursor()) : opts.startIndex - 1;
  const resources = matches.slice(offset, offset + opts.count);
  const result: QueryResult = { resources, totalResults: matches.length };
  if (q.cursor !== undefined && offset + opts.count < matches.length && opts.count > 0) result.nextCursor = encodeCursor(await ctx.cursorKey(), hash, { o: offset + opts.count });
  return result;
}

function invalidCursor(): never {
  throw new InvalidCursorError();
}
