import { CycleError, InvalidCursorError, InvalidMemberError, MAX_LISTED_MISSING_MEMBERS, NotFoundError, TooManyResultsError } from './errors';
import { MEMBER_PREFIX, META, type Key, type ResourceType } from './keys';
import { fromResourceItem, type MemberRef, type StoredResource } from './items';
import { keyString } from './batch';
import { decodeCursor, encodeCursor } from './paging';
import { REVERSE_MEMBERSHIP_INDEX } from '../contracts/tableDefinition';
import { ConcurrentModificationError, MAX_TRANSACT_ITEMS, type TxAction } from './transactWrite';
import { guardNesting } from './nestingGuard';
import { backoff } from './backoff';
import { bumpGroupVersion, memberActions, memberCountDelta, splitOps, type MemberOp } from './actions';
import { memberChangeOf } from './actions/changeStamps';
import { UPDATE_ATTEMPTS, type TableContext } from './tableContext';
import type { MemberInput, UserGroup } from './types';

/**
 * The membership aggregate: membership items in the group's partition with their reverse-index
 * entries (GSI1), read and written O(k) in the members concerned, never the whole list (docs/design.md
 * patterns 5, 6, 7).
 */

/** Members per listMembers page: default, and the most one call returns. */
const MEMBER_PAGE = { default: 1000, max: 5000 };

/**
 * Lists a group's members a page at a time. The first page is one Query that also returns the
 * group item (sorted descending, `META` comes first), so a group being deleted shows no members;
 * later pages add a GetItem for the same check. NotFoundError if absent.
 */
export async function listMembers(ctx: TableContext, groupId: string, opts: { limit?: number; cursor?: string }): Promise<{ members: MemberRef[]; cursor?: string }> {
  const limit = Math.min(Math.max(opts.limit ?? MEMBER_PAGE.default, 1), MEMBER_PAGE.max);
  const q = ctx.queryHash('members', groupId);
  const start = opts.cursor ? decodeCursor(await ctx.cursorKey(), q, opts.cursor).k : undefined;
  if (opts.cursor && !start) throw new InvalidCursorError();
  const partition = ctx.keys.groupPartition(groupId);
  if (start && start.PK !== partition) throw new InvalidCursorError('the cursor was issued for another query (filter, sort or resource type)');
  const [page, groupItem] = await Promise.all([
    ctx.queryPage({
      KeyConditionExpression: 'PK = :pk AND SK <= :meta',
      ExpressionAttributeValues: { ':pk': partition, ':meta': META },
      ScanIndexForward: false,
      Limit: start ? limit : limit + 1,
      ExclusiveStartKey: start,
    }),
    start ? ctx.getItem(ctx.keys.resource('Group', groupId), 'deleting, SK') : Promise.resolve(undefined),
  ]);
  const meta = start ? groupItem : page.items[0]?.SK === META ? page.items[0] : undefined;
  if (!meta || meta.deleting !== undefined) throw new NotFoundError('Group', groupId);
  const members = page.items.filter((i) => i.SK !== META).map(toMemberRef);
  return { members, cursor: page.lastKey ? encodeCursor(await ctx.cursorKey(), q, { k: page.lastKey as Record<string, string> }) : undefined };
}

/** Whether `memberId` is a direct member of a live group: one BatchGet of two keys (consistent). */
export async function groupMembership(ctx: TableContext, groupId: string, memberId: string): Promise<boolean> {
  const groupKey = ctx.keys.resource('Group', groupId);
  const membership = ctx.keys.membership(groupId, memberId);
  const items = await ctx.batchGet([groupKey, membership], { consistent: true });
  return fromResourceItem(items.get(keyString(groupKey))) !== undefined && items.has(keyString(membership));
}

/**
 * The groups of a user (User `groups`, read-only): one reverse-index Query and one BatchGet of the
 * groups (names, and to hide groups being deleted); `indirect` ones by a bounded walk up the
 * reverse index, only from groups that are themselves members somewhere (`parentCount`).
 */
export async function groupsOfUser(ctx: TableContext, userId: string, opts: { indirect?: boolean }): Promise<UserGroup[]> {
  const out: UserGroup[] = [];
  const seen = new Set<string>([userId]);
  const visit = async (groupIds: readonly string[], type: UserGroup['type']): Promise<string[]> => {
    const items = await ctx.batchGet(groupIds.map((g) => ctx.keys.resource('Group', g)));
    const next: string[] = [];
    for (const gid of groupIds) {
      if (seen.has(gid)) continue;
      seen.add(gid);
      const item = items.get(keyString(ctx.keys.resource('Group', gid)));
      const g = fromResourceItem(item);
      if (!g) continue;
      out.push({ value: gid, display: displayOf(g), type });
      if (Number(item?.parentCount ?? 0) > 0) next.push(gid);
    }
    return next;
  };
  let frontier = await visit(await parentGroups(ctx, [userId]), 'direct');
  if (opts.indirect === false) return out;
  while (frontier.length > 0 && seen.size < ctx.limits.maxNestedGroups) {
    frontier = await visit((await parentGroups(ctx, frontier)).filter((g) => !seen.has(g)), 'indirect');
  }
  return out;
}

/**
 * Members checked in the first round of resolveMembers; each later round doubles, up to
 * MEMBER_ROUND.max, so 100,000 valid members take 8 rounds while a request naming thousands of
 * nonexistent ids stops after the first round that finds MAX_LISTED_MISSING_MEMBERS of them.
 */
const MEMBER_ROUND = { first: 200, max: 25_600 };

/**
 * Checks members before any write: the new ones exist (with their type), they would not make a
 * cycle, and which memberships exist now (so counts stay exact and no-ops are skipped).
 * Strongly consistent BatchGets (100 keys a call) in rounds of growing size: a member of unknown
 * type is looked up as a User first and as a Group only if no user has its id (one read for each
 * user member, two for a group or a missing id), and reading stops after the round in which
 * MAX_LISTED_MISSING_MEMBERS members were missing. A request naming 20,000 nonexistent members
 * costs at most ~600 reads and a few KB of error (InvalidMemberError), not 40,000 reads and 760 KB.
 */
export async function resolveMembers(
  ctx: TableContext,
  groupId: string | undefined,
  add: readonly MemberInput[],
  remove: readonly string[],
): Promise<{ adds: MemberRef[]; removes: MemberRef[]; guard?: TxAction }> {
  const { keys } = ctx;
  const missing: string[] = [];
  const adds: (MemberRef & { exists: boolean })[] = [];
  for (const m of add) if (m.value === groupId) throw new CycleError(groupId, [m.value]);
  // The memberships to remove are read with the first round (one BatchGet for a typical PATCH).
  const removeKeys = groupId ? remove.map((r) => keys.membership(groupId, r)) : [];
  let removed = new Map<string, Record<string, unknown>>();
  let checked = 0;
  for (let size = MEMBER_ROUND.first; checked < add.length || (checked === 0 && removeKeys.length > 0); size = Math.min(size * 2, MEMBER_ROUND.max)) {
    const round = add.slice(checked, checked + size);
    const withRemoves = checked === 0 ? removeKeys : [];
    checked += round.length;
    // Users (and the memberships) first; groups only for the ids no user has.
    const first: Key[] = [...withRemoves];
    for (const m of round) {
      first.push(m.type === 'Group' ? keys.resource('Group', m.value) : keys.resource('User', m.value));
      if (groupId) first.push(keys.membership(groupId, m.value));
    }
    const found = await ctx.batchGet(first, { consistent: true });
    if (withRemoves.length > 0) removed = found;
    if (round.length === 0) break;
    const userOf = (m: MemberInput) => (m.type !== 'Group' ? fromResourceItem(found.get(keyString(keys.resource('User', m.value)))) : undefined);
    const untyped = round.filter((m) => m.type === undefined && !userOf(m));
    if (untyped.length > 0) {
      for (const [k, v] of await ctx.batchGet(untyped.map((m) => keys.resource('Group', m.value)), { consistent: true })) found.set(k, v);
    }
    for (const m of round) {
      const user = userOf(m);
      const group = !user && m.type !== 'User' ? fromResourceItem(found.get(keyString(keys.resource('Group', m.value)))) : undefined;
      if (!user && !group) {
        missing.push(m.value);
        continue;
      }
      const exists = groupId ? found.has(keyString(keys.membership(groupId, m.value))) : false;
      const ref: MemberRef & { exists: boolean } = { value: m.value, type: user ? 'User' : 'Group', exists };
      if (m.display !== undefined) ref.display = m.display;
      adds.push(ref);
    }
    if (missing.length >= MAX_LISTED_MISSING_MEMBERS) break;
  }
  if (missing.length > 0) throw new InvalidMemberError(missing, { unchecked: add.length - checked });
  const nestedAdds = adds.filter((m) => m.type === 'Group' && !m.exists).map((m) => m.value);
  // The cycle check and the action that makes it hold at commit (see nestingGuard.ts).
  const guard = groupId && nestedAdds.length > 0 ? await guardNesting(ctx, groupId, nestedAdds) : undefined;
  const removes: MemberRef[] = [];
  if (groupId) {
    for (const r of remove) {
      const item = removed.get(keyString(keys.membership(groupId, r)));
      if (item) removes.push({ value: r, type: item.memberType as ResourceType });
    }
  }
  return { adds: adds.filter((m) => !m.exists).map(({ exists: _exists, ...m }) => m), removes, ...(guard ? { guard } : {}) };
}

/**
 * The groups that contain `groupId` directly or transitively (bounded walk up). Each level reads
 * the groups' own items strongly consistently (their `parents` sets, written in the membership's
 * transaction) and, for nesting written before `parents` existed, the reverse index: the union
 * misses no committed edge, which the cycle check needs (nestingGuard.ts).
 */
export async function ancestorsOf(ctx: TableContext, groupId: string): Promise<Set<string>> {
  const max = ctx.limits.maxNestedGroups;
  const seen = new Set<string>([groupId]);
  let frontier = [groupId];
  while (frontier.length > 0) {
    if (seen.size > max) throw new CycleError(groupId, [], { cause: new Error(`nesting deeper than ${max} groups`) });
    const [items, indexed] = await Promise.all([
      ctx.batchGet(frontier.map((g) => ctx.keys.resource('Group', g)), { consistent: true, projection: 'PK, SK, parents' }),
      parentGroups(ctx, frontier),
    ]);
    const parents = new Set(indexed);
    for (const item of items.values()) for (const p of (item.parents as Set<string> | undefined) ?? []) parents.add(p);
    frontier = [...parents].filter((p) => !seen.has(p));
    for (const p of frontier) seen.add(p);
  }
  seen.delete(groupId);
  return seen;
}

/** The groups holding any of `memberIds` directly (one reverse-index Query each, in parallel). */
export async function parentGroups(ctx: TableContext, memberIds: readonly string[], max = ctx.limits.maxNestedGroups * 10): Promise<string[]> {
  const pages = await Promise.all(memberIds.map((mid) => ctx.queryBounded(reverseIndexQuery(ctx, mid), max)));
  return [...new Set(pages.flatMap((p) => p.items.map((i) => ctx.keys.groupOfReverseEntry(i))))];
}

/** The Query of the reverse-membership index for one member. */
export function reverseIndexQuery(ctx: TableContext, memberId: string) {
  const { indexName, partitionKey } = REVERSE_MEMBERSHIP_INDEX;
  return {
    IndexName: indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': partitionKey },
    ExpressionAttributeValues: { ':pk': ctx.keys.reverseMembershipPartition(memberId) },
  };
}

/**
 * Applies member ops past the first transaction, each chunk with a version bump of the group;
 * returns the ops it wrote (an op a concurrent writer made a no-op meanwhile is not among them).
 */
export async function applyMemberChunks(ctx: TableContext, resource: StoredResource, ops: readonly MemberOp[]): Promise<{ resource: StoredResource; applied: MemberOp[] }> {
  let current = resource;
  let pending = [...ops];
  const applied: MemberOp[] = [];
  for (let attempt = 0; pending.length > 0; ) {
    // Room for the group's version bump and, when the chunk nests groups, the graph guard.
    const { first, rest } = splitOps(pending, MAX_TRANSACT_ITEMS - 2);
    const delta = memberCountDelta(first);
    const now = ctx.now().toISOString();
    try {
      const nested = first.filter((op) => op.kind === 'add' && op.member.type === 'Group').map((op) => op.member.value);
      const guard = nested.length > 0 ? [await guardNesting(ctx, current.id, nested)] : [];
      await ctx.transact([bumpGroupVersion(ctx, current, delta, now, memberChangeOf(first)), ...guard, ...first.flatMap((op) => memberActions(ctx, current.id, op))]);
      current = { ...current, version: current.version + 1, lastModified: now, memberCount: (current.memberCount ?? 0) + delta };
      applied.push(...first);
      pending = rest;
      attempt = 0;
    } catch (e) {
      if (!(e instanceof ConcurrentModificationError) || ++attempt >= UPDATE_ATTEMPTS) throw e;
      // Someone else wrote the group or the same memberships: re-read both and redo this chunk.
      await backoff(attempt);
      const fresh = fromResourceItem(await ctx.getItem(ctx.keys.resource('Group', current.id)));
      if (!fresh) throw new NotFoundError('Group', current.id);
      current = fresh;
      pending = [...(await recheckOps(ctx, current.id, first)), ...rest];
    }
  }
  return { resource: current, applied };
}

/** Drops ops that are no-ops now (member already added / already removed). */
async function recheckOps(ctx: TableContext, groupId: string, ops: readonly MemberOp[]): Promise<MemberOp[]> {
  const found = await ctx.batchGet(ops.map((op) => ctx.keys.membership(groupId, op.member.value)), { consistent: true });
  return ops.filter((op) => found.has(keyString(ctx.keys.membership(groupId, op.member.value))) === (op.kind === 'remove'));
}

/** Ids of all current members (bounded paged read, for replaceAll). */
export async function readAllMemberIds(ctx: TableContext, groupId: string): Promise<Set<string>> {
  const max = ctx.limits.maxReplaceRead;
  const { items, truncated } = await ctx.queryBounded(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': ctx.keys.groupPartition(groupId), ':m': MEMBER_PREFIX },
      ProjectionExpression: 'memberId',
      ConsistentRead: true,
    },
    max,
  );
  if (truncated) throw new TooManyResultsError(max, { detail: `the group has more than ${max} members; replace them with add/remove PATCH operations instead` });
  return new Set(items.map((i) => i.memberId as string));
}

function displayOf(g: StoredResource): string | undefined {
  return typeof g.data.displayName === 'string' ? g.data.displayName : undefined;
}

function toMemberRef(item: Record<string, unknown>): MemberRef {
  const ref: MemberRef = { value: item.memberId as string, type: item.memberType as ResourceType };
  if (typeof item.display === 'string') ref.display = item.display;
  return ref;
}
