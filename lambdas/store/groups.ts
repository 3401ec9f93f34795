import { NotFoundError } from './errors';
import { resourceIndexes, type Json, type StoredResource } from './items';
import { MAX_TRANSACT_ITEMS } from './transactWrite';
import { checkVersion, dedupeMembers, splitOps, type MemberOp } from './actions';
import { createResource, getResource, requireString, writeResourceChange } from './resources';
import { applyMemberChunks, readAllMemberIds, resolveMembers } from './memberships';
import { retryOnConcurrentWrite, type TableContext } from './tableContext';
import type { GroupChange, GroupDelta, MemberInput, WriteOptions } from './types';

/**
 * The group aggregate: a resource plus its memberships, changed together. Up to ~98 member changes
 * are one transaction with the group item (atomic); larger changes continue in chunks, each
 * idempotent, so a retry converges (docs/design.md pattern 5).
 */

/** Fixed actions of a group create besides its members: item, displayName marker, counter. */
const CREATE_FIXED_ACTIONS = 3;

/**
 * Creates a group with its members. Members must exist (one BatchGet; InvalidMemberError naming
 * the missing ones, nothing written). One transaction holds the group, its displayName marker,
 * lookups, counter and the first ~95 memberships; more follow in idempotent chunks.
 */
export async function createGroup(ctx: TableContext, data: Json, members: readonly MemberInput[]): Promise<StoredResource> {
  requireString(data, 'displayName');
  const { adds } = await resolveMembers(ctx, undefined, dedupeMembers(members), []);
  const fixed = CREATE_FIXED_ACTIONS + resourceIndexes(ctx.keys, 'Group', 'x', data).lookups.length;
  const { first, rest } = splitOps(adds.map((m) => ({ kind: 'add' as const, member: m })), MAX_TRANSACT_ITEMS - fixed);
  const created = await createResource(ctx, 'Group', data, first);
  return rest.length === 0 ? created : applyMemberChunks(ctx, created, rest);
}

/**
 * Changes a group: attributes and members as a delta. Writes are O(k) in the members changed:
 * existence of the new members and of the affected memberships is read with BatchGet (never the
 * member list), unknown members are InvalidMemberError and nested-group cycles CycleError before
 * anything is written. `replaceAll` reads the current membership (bounded, paged) to write only
 * the difference.
 */
export async function updateGroup(ctx: TableContext, id: string, change: GroupChange, opts: WriteOptions): Promise<StoredResource> {
  return retryOnConcurrentWrite(async () => {
    const current = await getResource(ctx, 'Group', id);
    if (!current) throw new NotFoundError('Group', id);
    checkVersion(opts.expectedVersion, current.version);
    const derived = change.derive?.(current);
    const delta: Omit<GroupDelta, 'data'> = derived ?? change;
    const data = derived ? derived.data : change.data ? change.data(current) : current.data;
    requireString(data, 'displayName');
    let add = dedupeMembers(delta.add ?? []);
    const addIds = new Set(add.map((a) => a.value));
    let remove = [...new Set(delta.remove ?? [])].filter((r) => !addIds.has(r));
    if (delta.replaceAll) {
      const target = dedupeMembers(delta.replaceAll);
      const existing = await readAllMemberIds(ctx, id);
      const targetIds = new Set(target.map((m) => m.value));
      add = target.filter((m) => !existing.has(m.value));
      remove = [...existing].filter((m) => !targetIds.has(m));
    }
    const resolved = await resolveMembers(ctx, id, add, remove);
    const ops: MemberOp[] = [
      ...resolved.removes.map((m) => ({ kind: 'remove' as const, member: m })),
      ...resolved.adds.map((m) => ({ kind: 'add' as const, member: m })),
    ];
    // Nested adds go first, so the graph guard read in resolveMembers covers the transaction holding them.
    ops.sort((a, b) => nestsFirst(b) - nestsFirst(a));
    const { resource, rest } = await writeResourceChange(ctx, current, data, opts, ops, resolved.guard ? [resolved.guard] : []);
    return rest.length > 0 ? await applyMemberChunks(ctx, resource, rest) : resource;
  });
}

/** 1 for an op adding a nested group: those go in the first transaction, with the graph guard. */
function nestsFirst(op: MemberOp): number {
  return op.kind === 'add' && op.member.type === 'Group' ? 1 : 0;
}
