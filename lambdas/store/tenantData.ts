import { fromResourceItem, resourceIndexes, type Json, type StoredResource } from './items';
import type { Key, ResourceType } from './keys';
import { LISTING_INDEX } from '../contracts/tableDefinition';
import { listingQuery } from './listing';
import type { TableContext } from './tableContext';
import { InvalidCursorError } from './errors';

/** One page of a tenant's resources of one type, in creation order. */
export interface ExportPage {
  readonly resources: StoredResource[];
  /** Pass back for the next page; absent on the last. */
  readonly cursor?: string;
}

function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

/** Decodes an export cursor; it must be a listing key of this tenant's partition for `type`. */
function decodeCursor(ctx: TableContext, type: ResourceType, cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ok =
      key !== null && typeof key === 'object' && key[LISTING_INDEX.partitionKey] === ctx.keys.listingPartition(type) &&
      ['PK', 'SK', LISTING_INDEX.sortKey].every((k) => typeof key[k] === 'string') && Object.keys(key).length === 4;
    if (ok) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('not an export cursor of this tenant and resource type');
}

/**
 * One page of the tenant's resources of `type` for an export, in creation order, from the listing
 * index (no Scan; eventually consistent, which an export of a disabled tenant does not mind).
 * A resource being deleted is left out. Bounded: at most `limit` resources a page.
 */
export async function exportPage(ctx: TableContext, type: ResourceType, opts: { cursor?: string; limit: number }): Promise<ExportPage> {
  const page = await ctx.queryPage({ ...listingQuery(ctx, type), Limit: opts.limit, ExclusiveStartKey: decodeCursor(ctx, type, opts.cursor) });
  const resources = page.items.map((i) => fromResourceItem(i)).filter((r): r is StoredResource => r !== undefined);
  const cursor = encodeCursor(page.lastKey);
  return { resources, ...(cursor ? { cursor } : {}) };
}

/** What {@link purgeStep} got through. */
export interface PurgeProgress {
  /** True when nothing of the tenant is left but its expiring page cursors. */
  readonly done: boolean;
  /** Items deleted by this step. */
  readonly deleted: number;
}

/** Every item of one partition of the tenant (paged Query), until the deadline. */
async function partitionKeys(ctx: TableContext, pk: string, deadline: number): Promise<{ keys: Key[]; complete: boolean }> {
  const keys: Key[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.queryPage({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'PK, SK', ExclusiveStartKey: start, ConsistentRead: true });
    keys.push(...page.items.map((i) => ({ PK: String(i.PK), SK: String(i.SK) })));
    start = page.lastKey;
    if (start && Date.now() > deadline) return { keys, complete: false };
  } while (start);
  return { keys, complete: true };
}

/** Deletes one resource: its partition (a group's memberships with it), then its markers and lookups. */
async function purgeResource(ctx: TableContext, type: ResourceType, id: string, data: Json | undefined, deadline: number): Promise<{ deleted: number; complete: boolean }> {
  const pk = ctx.keys.resource(type, id).PK;
  const { keys, complete } = await partitionKeys(ctx, pk, deadline);
  // The resource item last: while it exists the listing still shows the resource, so an
  // interrupted step finds it again and goes on.
  const others = keys.filter((k) => !(k.PK === pk && k.SK === ctx.keys.resource(type, id).SK));
  await ctx.batchWrite(others.map((k) => ({ delete: k })));
  if (!complete) return { deleted: others.length, complete: false };
  const indexes = resourceIndexes(ctx.keys, type, id, data);
  const derived = [...indexes.unique.map((u) => u.key), ...indexes.lookups.map((l) => l.key)];
  await ctx.batchWrite(derived.map((k) => ({ delete: k })));
  await ctx.deleteItem(ctx.keys.resource(type, id));
  return { deleted: others.length + derived.length + 1, complete: true };
}

/** Days (yyyy-mm-dd) from `from` to today + 1, the audit partitions a tenant may have. */
function auditDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() - 1));
  const end = to.getTime() + 86_400_000;
  for (; d.getTime() <= end; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
}

/**
 * One bounded step of deleting everything a tenant holds in a pooled table, without a Scan: every
 * partition of the tenant is found from its resources (listing index), its pending cleanups, its
 * open rollback journals, or a
 * fixed name (counters, group-graph version, cursor key, one audit partition a day since
 * `auditSince`, and likewise the change feed's event log and audit trail). Markers and lookups are derived from each resource's data as the store wrote
 * them (items.ts resourceIndexes). Works until `deadline` (epoch ms) and reports whether anything
 * is left; calling it again continues (every deletion is idempotent, and a resource's own item
 * goes last). Page cursors of startIndex paging are not enumerable: they hold only a position,
 * expire after PAGE_CURSOR_TTL_SECONDS and are removed by DynamoDB's TTL.
 * Callers stop every writer first (the tenant disabled, caches expired).
 */
export async function purgeStep(ctx: TableContext, opts: { deadline: number; auditSince: Date; concurrency?: number }): Promise<PurgeProgress> {
  const concurrency = opts.concurrency ?? 8;
  let deleted = 0;
  // Groups first: their partitions hold the memberships every user's reverse index reads.
  for (const type of ['Group', 'User'] as const) {
    for (;;) {
      if (Date.now() > opts.deadline) return { done: false, deleted };
      const page = await ctx.queryPage({ ...listingQuery(ctx, type), Limit: 100 });
      if (page.items.length === 0) break;
      for (let i = 0; i < page.items.length; i += concurrency) {
        const results = await Promise.all(
          page.items.slice(i, i + concurrency).map((item) => purgeResource(ctx, type, String(item.id), item.data as Json | undefined, opts.deadline)),
        );
        deleted += results.reduce((n, r) => n + r.deleted, 0);
        if (results.some((r) => !r.complete) || Date.now() > opts.deadline) return { done: false, deleted };
      }
    }
  }
  // Deletions the store deferred (a huge group's memberships) or scheduled a recheck for.
  for (;;) {
    const { items } = await ctx.queryBounded({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': ctx.keys.cleanupPartition() }, ConsistentRead: true }, 100);
    if (items.length === 0) break;
    for (const item of items) {
      const { type, id } = ctx.keys.cleanupTarget(item);
      const r = await purgeResource(ctx, type, id, undefined, opts.deadline);
      deleted += r.deleted;
      if (!r.complete) return { done: false, deleted };
      await ctx.deleteItem({ PK: String(item.PK), SK: String(item.SK) });
      deleted += 1;
    }
    if (Date.now() > opts.deadline) return { done: false, deleted };
  }
  // Rollback journals of all-or-nothing bulks whose invocation died: their prior images are tenant data too.
  for (;;) {
    const { items } = await ctx.queryBounded({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': ctx.keys.rollbackPartition() }, ConsistentRead: true }, 100);
    if (items.length === 0) break;
    for (const item of items) {
      const { keys, complete } = await partitionKeys(ctx, ctx.keys.rollbackEntries(String(item.journalId)), opts.deadline);
      await ctx.batchWrite(keys.map((k) => ({ delete: k })));
      deleted += keys.length;
      if (!complete) return { done: false, deleted };
      await ctx.deleteItem({ PK: String(item.PK), SK: String(item.SK) });
      deleted += 1;
    }
    if (Date.now() > opts.deadline) return { done: false, deleted };
  }
  const fixed = [
    ctx.keys.counterPartition('User'),
    ctx.keys.counterPartition('Group'),
    ctx.keys.graphVersion().PK,
    ctx.keys.cursorKey().PK,
    // One audit-record, change-event-log and audit-trail partition a day since the tenant was enabled.
    ...auditDays(opts.auditSince, ctx.now()).flatMap((day) => [ctx.keys.auditPartition(day), ctx.keys.eventLogPartition(day), ctx.keys.auditLogPartition(day)]),
  ];
  for (let i = 0; i < fixed.length; i += concurrency) {
    if (Date.now() > opts.deadline) return { done: false, deleted };
    const parts = await Promise.all(fixed.slice(i, i + concurrency).map((pk) => partitionKeys(ctx, pk, opts.deadline)));
    const keys = parts.flatMap((p) => p.keys);
    await ctx.batchWrite(keys.map((k) => ({ delete: k })));
    deleted += keys.length;
    if (parts.some((p) => !p.complete)) return { done: false, deleted };
  }
  return { done: true, deleted };
}
