import { fromResourceItem, resourceIndexes, type Json, type MemberRef, type StoredResource } from './items';
import { MAX_TRANSACT_ITEMS } from './transactWrite';
import { dedupeMembers, splitOps, type MemberOp } from './actions';
import { createResource, readForWrite, requireString, writeResourceChange } from './resources';
import { applyMemberChunks, readAllMemberIds, resolveMembers } from './memberships';
import { retryOnConcurrentWrite, type TableContext } from './tableContext';
import { keyString } from './batch';
import { removeMembershipOfDeleted } from './deletion';
import type { GroupChange, GroupWrite, GroupWriteChange, MemberInput, WriteOptions } from './types';

/**
 * The group aggregate: a resource plus its memberships, changed together. Up to ~98 member changes
 * are one transaction with the group item (atomic); larger changes continue in chunks, each
 * idempotent, so a retry converges (docs/design.md pattern 5). Every write reports the members it
 * really added and removed, for the effect the provisioning layer returns.
 */

/** Fixed actions of a group create besides its members: item, displayName marker, counter. */
const CREATE_FIXED_ACTIONS = 3;

/**
 * Creates a group with its members. Members must exist (one BatchGet; InvalidMemberError naming
 * the missing ones, nothing written). One transaction holds the group, its displayName marker,
 * lookups, counter and the first ~95 memberships; more follow in idempotent chunks.
 */
export async function insertGroup(ctx: TableContext, data: Json, members: readonly MemberInput[], id?: string): Promise<GroupWrite> {
  requireString(data, 'displayName');
  const { adds } = await resolveMembers(ctx, undefined, dedupeMembers(members), []);
  const fixed = CREATE_FIXED_ACTIONS + resourceIndexes(ctx.keys, 'Group', 'x', data).lookups.length;
  const { first, rest } = splitOps(adds.map((m) => ({ kind: 'add' as const, member: m })), MAX_TRANSACT_ITEMS - fixed);
  const created = await createResource(ctx, 'Group', data, first, id);
  if (rest.length === 0) return dropDeletedUsers(ctx, { resource: created, added: first.map((op) => op.member), removed: [] });
  const chunks = await applyMemberChunks(ctx, created, rest);
  return dropDeletedUsers(ctx, { resource: chunks.resource, ...applied([...first, ...chunks.applied]) });
}

/**
 * Writes a group's new attributes and member delta on the version it was read at (one attempt: a
 * concurrent write is ConcurrentModificationError, for the caller's optimistic loop). Writes are
 * O(k) in the members changed: existence of the new members and of the affected memberships is
 * read with BatchGet (never the member list); unknown members are InvalidMemberError and
 * nested-group cycles CycleError before anything is written. Adding a member already there and
 * removing one that is not are no-ops, absent from the result. `replaceAll` reads the current
 * membership (bounded, paged) to write only the difference.
 */
export async function writeGroup(ctx: TableContext, current: StoredResource, change: GroupWriteChange, opts: WriteOptions): Promise<GroupWrite> {
  requireString(change.data, 'displayName');
  let add = dedupeMembers(change.add ?? []);
  const addIds = new Set(add.map((a) => a.value));
  let remove = [...new Set(change.remove ?? [])].filter((r) => !addIds.has(r));
  if (change.replaceAll) {
    const target = dedupeMembers(change.replaceAll);
    const existing = await readAllMemberIds(ctx, current.id);
    const targetIds = new Set(target.map((m) => m.value));
    add = target.filter((m) => !existing.has(m.value));
    remove = [...existing].filter((m) => !targetIds.has(m));
  }
  const resolved = await resolveMembers(ctx, current.id, add, remove);
  const ops: MemberOp[] = [
    ...resolved.removes.map((m) => ({ kind: 'remove' as const, member: m })),
    ...resolved.adds.map((m) => ({ kind: 'add' as const, member: m })),
  ];
  // Nested adds go first, so the graph guard read in resolveMembers covers the transaction holding them.
  ops.sort((a, b) => nestsFirst(b) - nestsFirst(a));
  const written = await writeResourceChange(ctx, current, change.data, opts, ops, resolved.guard ? [resolved.guard] : []);
  if (written.rest.length === 0) return dropDeletedUsers(ctx, { resource: written.resource, ...applied(written.applied) });
  const chunks = await applyMemberChunks(ctx, written.resource, written.rest);
  return dropDeletedUsers(ctx, { resource: chunks.resource, ...applied([...written.applied, ...chunks.applied]) });
}

/**
 * After a write that added users: reads them again (strongly consistent) and takes out any deleted
 * meanwhile. resolveMembers saw them alive, but a user DELETE may have committed between that read
 * and our transaction: it read the reverse index before our membership existed, so it could not
 * remove it, and we can, since we know it. (Nested groups need no second read: their `parents`
 * update in our transaction is conditioned on the group being live at commit.) A DELETE that
 * commits after our write removes the membership itself; only the reverse index's propagation
 * delay is left to its second pass (deletion.ts RECHECK_AFTER_MS). One BatchGet of the added users.
 */
async function dropDeletedUsers(ctx: TableContext, write: GroupWrite): Promise<GroupWrite> {
  const users = write.added.filter((m) => m.type === 'User');
  if (users.length === 0) return write;
  const found = await ctx.batchGet(
    users.map((m) => ctx.keys.resource('User', m.value)),
    { consistent: true, projection: 'PK, SK, deleting' },
  );
  const gone = new Set(
    users.filter((m) => {
      const item = found.get(keyString(ctx.keys.resource('User', m.value)));
      return item === undefined || item.deleting !== undefined;
    }).map((m) => m.value),
  );
  if (gone.size === 0) return write;
  const now = ctx.now().toISOString();
  for (const id of gone) await removeMembershipOfDeleted(ctx, write.resource.id, id, now);
  const resource = fromResourceItem(await ctx.getItem(ctx.keys.resource('Group', write.resource.id))) ?? write.resource;
  return { resource, added: write.added.filter((m) => !gone.has(m.value)), removed: write.removed };
}

/**
 * Changes a group from its current state, re-reading after a concurrent write (a convenience for
 * scripts and tests; the provisioning layer runs its own loop over readForWrite and writeGroup).
 */
export async function updateGroup(ctx: TableContext, id: string, change: GroupChange, opts: WriteOptions): Promise<StoredResource> {
  return retryOnConcurrentWrite(async () => {
    const current = await readForWrite(ctx, 'Group', id, opts.expectedVersion);
    const data = change.data ? change.data(current) : current.data;
    return (await writeGroup(ctx, current, { data, add: change.add, remove: change.remove, replaceAll: change.replaceAll }, opts)).resource;
  });
}

/** 1 for an op adding a nested group: those go in the first transaction, with the graph guard. */
function nestsFirst(op: MemberOp): number {
  return op.kind === 'add' && op.member.type === 'Group' ? 1 : 0;
}

function applied(ops: readonly MemberOp[]): { added: MemberRef[]; removed: MemberRef[] } {
  return { added: ops.filter((op) => op.kind === 'add').map((op) => op.member), removed: ops.filter((op) => op.kind === 'remove').map((op) => op.member) };
}
