import { TABLE_DEFINITION } from '../contracts/tableDefinition';
import type { TableContext } from './tableContext';

/**
 * A page-cursor item: where the next sequential `startIndex` page of a query starts, written when
 * a page is served so the next one costs O(count), not O(startIndex). It expires after
 * pageCursorTtlSeconds; DynamoDB's TTL deletes it up to days late, so readers check the time.
 */
export interface PageCursor {
  /** The index key to resume after (ExclusiveStartKey). */
  readonly lastKey: Record<string, unknown>;
  /** totalResults as the first page counted it (an index range's count is not free). */
  readonly total?: number;
  /** Matches served before this page, when a filter is applied over an index range as it streams. */
  readonly matched?: number;
}

/** Remembers where the page at `startIndex` of the query `hash` starts. */
export async function savePageCursor(ctx: TableContext, hash: string, startIndex: number, cursor: PageCursor): Promise<void> {
  const expiresAt = Math.floor(ctx.now().getTime() / 1000) + ctx.limits.pageCursorTtlSeconds;
  await ctx.putItem({ ...ctx.keys.pageCursor(hash, startIndex), ...cursor, [TABLE_DEFINITION.ttlAttribute]: expiresAt });
}

/** The live page cursor saved for `startIndex` of the query `hash`; undefined when none or expired. */
export async function loadPageCursor(ctx: TableContext, hash: string, startIndex: number): Promise<PageCursor | undefined> {
  const saved = await ctx.getItem(ctx.keys.pageCursor(hash, startIndex));
  if (!saved || Number(saved[TABLE_DEFINITION.ttlAttribute]) * 1000 <= ctx.now().getTime()) return undefined;
  return {
    lastKey: saved.lastKey as Record<string, unknown>,
    total: typeof saved.total === 'number' ? saved.total : undefined,
    matched: saved.matched === undefined ? undefined : Number(saved.matched),
  };
}
