import { NotFoundError } from './errors';
import { MEMBER_PREFIX, type ResourceType } from './keys';
import { fromResourceItem, resourceIndexes } from './items';
import { itemExists } from './conditions';
import { ConcurrentModificationError, MAX_TRANSACT_ITEMS, type TxAction } from './transactWrite';
import { bumpCounter, checkVersion, cleanupItem, deleteLookup, deleteMarker, hideResource, putAudit, removeDeletedMember, tombstoneResource } from './actions';
import { randomShard } from './resources';
import { parentGroups, reverseIndexQuery } from './memberships';
import { retryOnConcurrentWrite, type TableContext } from './tableContext';
import type { DeleteResult, WriteOptions } from './types';

/**
 * Deletion: a resource disappears at once (one transaction hides it and releases its markers,
 * lookups and counter, with the audit record), then what it leaves behind is removed in bounded
 * batches, finished later by continueCleanup when a huge group exceeds the inline budget.
 */

/** Membership items of one group deleted inline by a delete before deferring to continueCleanup. */
export const DEFAULT_CLEANUP_BUDGET = 20_000;
/**
 * How long after a delete its reverse-index cleanup runs once more. A PATCH that saw the member
 * alive just before the delete may write its membership after the first cleanup (its Lambda has up
 * to 20 s), and GSI1 is eventually consistent: the second pass removes such late memberships.
 */
export const RECHECK_AFTER_MS = 60_000;
/** Pending cleanups one continueCleanup run looks at. */
const CLEANUPS_PER_RUN = 100;
/** Groups a deleted member can be removed from (a bounded reverse-index read). */
const MAX_GROUPS_PER_MEMBER = 100_000;
/**
 * Fixed actions of a user deleted in one transaction besides its lookups and memberships: the
 * item, the userName marker, the counter, the audit record, the pending-cleanup item.
 */
const ONE_TRANSACTION_FIXED_ACTIONS = 5;

/** Deletes a resource (see the module header); If-Match is checked against the version read. */
export async function deleteResource(ctx: TableContext, type: ResourceType, id: string, opts: WriteOptions & { cleanupBudget?: number }): Promise<DeleteResult> {
  if (type === 'User' && (await deleteUserInOneTransaction(ctx, id, opts))) return { complete: true };
  const budget = opts.cleanupBudget ?? DEFAULT_CLEANUP_BUDGET;
  await retryOnConcurrentWrite(async () => {
    const item = await ctx.getItem(ctx.keys.resource(type, id));
    if (item?.deleting !== undefined) {
      // A delete that stopped half way: finish it, then answer as for any deleted resource.
      await cleanupDeleted(ctx, type, id, budget);
      throw new NotFoundError(type, id);
    }
    const current = fromResourceItem(item);
    if (!current) throw new NotFoundError(type, id);
    checkVersion(opts.expectedVersion, current.version);
    const now = ctx.now();
    const indexes = resourceIndexes(ctx.keys, type, id, current.data);
    await ctx.transact([
      hideResource(ctx, current, now.toISOString(), opts.expectedVersion),
      ...indexes.unique.map((u) => deleteMarker(ctx, u.key, id)),
      ...indexes.lookups.map((l) => deleteLookup(ctx, l)),
      bumpCounter(ctx, type, -1, randomShard()),
      putAudit(ctx, { at: now, type, id, action: 'delete', data: current.data, actor: opts.actor }, ctx.limits.auditRetentionDays),
      { item: { Put: { TableName: ctx.table, Item: cleanupItem(ctx, type, id, { at: now }) } } },
    ]);
  });
  return { complete: await cleanupDeleted(ctx, type, id, budget) };
}

/**
 * Deletes a user in ONE transaction when everything it leaves fits (a user in up to ~45 groups):
 * the item itself (turned into a tombstone without data, stamped with the deleter so the change
 * feed's `user.deleted` names who deleted it; the recheck pass deletes it, one more write units
 * a minute later), its marker, lookups, counter shard, audit record, its
 * memberships with each group's count and version, and the pending-cleanup item already set for
 * the second reverse-index pass (late memberships, see RECHECK_AFTER_MS). The item and the
 * reverse index are read in parallel. 3 calls (GetItem, GSI1 Query, TransactWriteItems) and
 * 5 + lookups + 2k item writes for k groups: the least this layout allows, since each membership
 * and each group's memberCount/version is an item; then one more reverse-index Query for a
 * membership a racing PATCH committed meanwhile. False (nothing written) when it does not fit
 * or a concurrent change cancels it: the caller takes the hide-then-clean path.
 */
async function deleteUserInOneTransaction(ctx: TableContext, id: string, opts: WriteOptions): Promise<boolean> {
  const limit = Math.floor((MAX_TRANSACT_ITEMS - ONE_TRANSACTION_FIXED_ACTIONS) / 2);
  const [item, groups] = await Promise.all([ctx.getItem(ctx.keys.resource('User', id)), ctx.queryBounded(reverseIndexQuery(ctx, id), limit)]);
  if (item?.deleting !== undefined) return false;
  const current = fromResourceItem(item);
  if (!current) throw new NotFoundError('User', id);
  checkVersion(opts.expectedVersion, current.version);
  const groupIds = [...new Set(groups.items.map((i) => ctx.keys.groupOfReverseEntry(i)))];
  const indexes = resourceIndexes(ctx.keys, 'User', id, current.data);
  const now = ctx.now();
  const actions: TxAction[] = [
    tombstoneResource(ctx, current, now.toISOString(), opts.expectedVersion),
    ...indexes.unique.map((u) => deleteMarker(ctx, u.key, id)),
    ...indexes.lookups.map((l) => deleteLookup(ctx, l)),
    bumpCounter(ctx, 'User', -1, randomShard()),
  ];
  actions.push(
    putAudit(ctx, { at: now, type: 'User', id, action: 'delete', data: current.data, actor: opts.actor }, ctx.limits.auditRetentionDays),
    { item: { Put: { TableName: ctx.table, Item: cleanupItem(ctx, 'User', id, { recheckAfter: new Date(now.getTime() + RECHECK_AFTER_MS), tombstone: true }) } } },
    ...groupIds.flatMap((gid) => removeDeletedMember(ctx, gid, id, now.toISOString())),
  );
  if (groups.truncated || actions.length > MAX_TRANSACT_ITEMS) return false;
  try {
    await ctx.transact(actions);
  } catch (e) {
    // A membership gone or a group being deleted meanwhile, or a concurrent write to the user:
    // the general path re-reads and settles each case.
    if (e instanceof ConcurrentModificationError) return false;
    throw e;
  }
  // A PATCH that found the user alive before our commit may have committed its membership after
  // our reverse-index read: it re-reads its users after committing (groups.ts dropDeletedUsers),
  // and we read the index again after ours, so whichever commits second removes it. What the
  // index has not propagated yet is left to the second pass (RECHECK_AFTER_MS). Idle: one Query.
  await removeFromAllGroups(ctx, 'User', id);
  return true;
}

/**
 * Finishes deletions whose cleanup was deferred (large groups) and runs the second reverse-index
 * pass of recent deletes once due; returns how many deletions are still incomplete.
 */
export async function continueCleanup(ctx: TableContext, opts: { budget?: number }): Promise<number> {
  const { items } = await ctx.queryBounded({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': ctx.keys.cleanupPartition() } }, CLEANUPS_PER_RUN);
  let pending = 0;
  for (const item of items) {
    const { type, id } = ctx.keys.cleanupTarget(item);
    if (typeof item.recheckAfter === 'string') {
      // Cleaned up once: the second pass for late memberships, when due (RECHECK_AFTER_MS).
      if (Date.parse(item.recheckAfter) > ctx.now().getTime()) continue;
      await removeFromAllGroups(ctx, type, id);
      // A one-transaction delete left the user's item as a tombstone (no data): it goes now.
      if (item.tombstone === true) await ctx.batchWrite([{ delete: ctx.keys.resource(type, id) }, { delete: ctx.keys.cleanup(type, id) }]);
      else await ctx.deleteItem(ctx.keys.cleanup(type, id));
      continue;
    }
    const done = await cleanupDeleted(ctx, type, id, opts.budget ?? DEFAULT_CLEANUP_BUDGET);
    if (!done) pending += 1;
  }
  return pending;
}

/** Deletes what a hidden (deleting) resource leaves behind; true when nothing remains. */
async function cleanupDeleted(ctx: TableContext, type: ResourceType, id: string, budget: number): Promise<boolean> {
  if (type === 'Group') {
    // Its own membership items (their GSI1 entries go with them).
    let remaining = budget;
    for (;;) {
      const page = await ctx.queryPage({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
        ExpressionAttributeValues: { ':pk': ctx.keys.groupPartition(id), ':m': MEMBER_PREFIX },
        Limit: Math.min(remaining, 1000),
      });
      if (page.items.length === 0) break;
      await ctx.batchWrite(page.items.map((i) => ({ delete: { PK: i.PK as string, SK: i.SK as string } })), { parallel: 8 });
      const nested = page.items.filter((i) => i.memberType === 'Group');
      await Promise.all(nested.map((i) => adjustParentCount(ctx, i.memberId as string, -1)));
      remaining -= page.items.length;
      if (!page.lastKey) break;
      if (remaining <= 0) return false;
    }
  }
  await removeFromAllGroups(ctx, type, id);
  const recheckAfter = new Date(ctx.now().getTime() + RECHECK_AFTER_MS);
  await ctx.batchWrite([
    { delete: ctx.keys.resource(type, id) },
    // The cleanup item stays for one more pass (continueCleanup) and expires by TTL regardless.
    { put: cleanupItem(ctx, type, id, { recheckAfter }) },
  ]);
  return true;
}

/** Removes `memberId` from every group holding it (reverse index), keeping counts and versions. */
async function removeFromAllGroups(ctx: TableContext, memberType: ResourceType, memberId: string): Promise<void> {
  const groupIds = await parentGroups(ctx, [memberId], MAX_GROUPS_PER_MEMBER);
  const now = ctx.now().toISOString();
  const chunkSize = MAX_TRANSACT_ITEMS / 2;
  for (let i = 0; i < groupIds.length; i += chunkSize) {
    const chunk = groupIds.slice(i, i + chunkSize);
    try {
      await ctx.transact(chunk.flatMap((gid) => removeDeletedMember(ctx, gid, memberId, now, memberType)));
    } catch (e) {
      if (!(e instanceof ConcurrentModificationError)) throw e;
      // A group of the chunk is being deleted or the membership went away: settle them one by one.
      for (const gid of chunk) await removeMembershipOfDeleted(ctx, gid, memberId, now);
    }
  }
}

/**
 * Removes the membership of a deleted member from one group, keeping the group's count and
 * version; idempotent (a membership already gone, or a group being deleted, just loses the item).
 */
export async function removeMembershipOfDeleted(ctx: TableContext, groupId: string, memberId: string, now: string): Promise<void> {
  try {
    await ctx.transact(removeDeletedMember(ctx, groupId, memberId, now));
  } catch (e) {
    if (!(e instanceof ConcurrentModificationError)) throw e;
    await ctx.deleteItem(ctx.keys.membership(groupId, memberId));
  }
}

/** Adds `delta` to a group's parentCount if the group still exists. */
async function adjustParentCount(ctx: TableContext, groupId: string, delta: number): Promise<void> {
  await ctx.updateIfPresent({
    TableName: ctx.table,
    Key: ctx.keys.resource('Group', groupId),
    UpdateExpression: 'ADD parentCount :d',
    ConditionExpression: itemExists,
    ExpressionAttributeValues: { ':d': delta },
  });
}
