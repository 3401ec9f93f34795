import { fromResourceItem } from './items';
import type { ResourceType } from './keys';
import { sortedIndexAttributes } from './sortedIndexes';
import { listingQuery } from './listing';
import type { TableContext } from './tableContext';

/**
 * Gives resource items written before the sorted indexes existed (GSI3-5: userName, lastModified,
 * User displayName orders) the attributes those indexes are keyed on. A table first deployed with
 * only GSI1-2 holds items without them; DynamoDB builds a new GSI from the attributes already on
 * the items, so an upgrade writes them first (docs/runbooks/upgrade.md), then adds the indexes.
 *
 * It walks a resource type's creation-order listing (GSI2, which has always existed and projects
 * whole items) a page at a time and updates only the items whose attributes are missing or stale,
 * each on the condition that the item's `version` is the one read: a concurrent write already set
 * the right attributes itself (every Put and Update writes them), so losing that race is fine.
 * Idempotent and resumable: run it again from `nextKey`, or from the start.
 */

/** One backfill step's outcome. */
export interface BackfillStep {
  /** Items read. */
  readonly scanned: number;
  /** Items given their sorted-index attributes. */
  readonly updated: number;
  /** Where the next step starts; undefined when the type's listing is done. */
  readonly nextKey?: Record<string, unknown>;
}

/** Backfills up to `pageSize` items of `type` from `startKey` (see the header). */
export async function backfillSortedIndexes(
  ctx: TableContext,
  type: ResourceType,
  opts: { startKey?: Record<string, unknown>; pageSize?: number } = {},
): Promise<BackfillStep> {
  const page = await ctx.queryPage({ ...listingQuery(ctx, type), ExclusiveStartKey: opts.startKey, Limit: opts.pageSize ?? 100 });
  let updated = 0;
  await Promise.all(
    page.items.map(async (item) => {
      const r = fromResourceItem(item);
      if (!r) return;
      const want = sortedIndexAttributes(ctx.keys, r);
      const stale = Object.entries(want).filter(([name, value]) => item[name] !== value);
      if (stale.length === 0) return;
      const names = Object.fromEntries(stale.map(([name], i) => [`#a${i}`, name]));
      const values = Object.fromEntries(stale.map(([, value], i) => [`:a${i}`, value]));
      // A failed condition: written (or deleted) since it was read, and that write carried its own attributes.
      const done = await ctx.updateIfPresent({
        TableName: ctx.table,
        Key: ctx.keys.resource(type, r.id),
        UpdateExpression: `SET ${stale.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { ...names, '#version': 'version' },
        ExpressionAttributeValues: { ...values, ':version': r.version },
      });
      if (done) updated++;
    }),
  );
  return { scanned: page.items.length, updated, nextKey: page.lastKey };
}
