import { randomInt } from 'node:crypto';
import { NotFoundError } from './errors';
import { COUNTER_SHARDS, type ResourceType } from './keys';
import { checkDataSize, fromResourceItem, resourceIndexes, type Json, type StoredResource } from './items';
import { MAX_TRANSACT_ITEMS, type TransactItem, type TxAction } from './transactWrite';
import {
  bumpCounter,
  checkVersion,
  indexChanges,
  memberActions,
  memberCountDelta,
  onVersionFailed,
  putAudit,
  putLookup,
  putMarker,
  putResource,
  splitOps,
  updateResourceData,
  type MemberOp,
} from './actions';
import { activationChange } from '../scim/changes';
import { memberChangeOf } from './actions/changeStamps';
import { retryOnConcurrentWrite, type TableContext } from './tableContext';
import type { AuditRecord, ExpectedVersion, WriteOptions } from './types';

/**
 * The resource aggregate: a resource item with its uniqueness markers, lookups and counter, kept
 * in one transaction with every write (docs/design.md patterns 1, 4, 10).
 */

/** Throws TypeError when a required string attribute is missing (the layers above validated it). */
export function requireString(data: Json, attribute: string): void {
  if (typeof data[attribute] !== 'string' || data[attribute] === '') throw new TypeError(`${attribute} is required`);
}

/** Reads a resource: one strongly consistent GetItem; undefined when absent or being deleted. */
export async function getResource(ctx: TableContext, type: ResourceType, id: string): Promise<StoredResource | undefined> {
  return fromResourceItem(await ctx.getItem(ctx.keys.resource(type, id)));
}

/** A random counter shard (keys.ts: why the counter is sharded). */
export function randomShard(): number {
  return randomInt(COUNTER_SHARDS);
}

/**
 * Creates a resource in one TransactWriteItems: the item, its markers (ConflictError when taken),
 * lookups, a counter shard, and `firstOps` membership writes of a new group. `givenId` is an id
 * chosen before the create (an all-or-nothing bulk journals it first); the item's put is
 * conditional on absence, so an id in use fails the create instead of overwriting.
 */
export async function createResource(ctx: TableContext, type: ResourceType, data: Json, firstOps: MemberOp[] = [], givenId?: string): Promise<StoredResource> {
  const id = givenId ?? ctx.newId();
  const now = ctx.now().toISOString();
  const resource: StoredResource = { id, resourceType: type, version: 1, created: now, lastModified: now, data };
  if (type === 'Group') resource.memberCount = firstOps.length;
  const indexes = resourceIndexes(ctx.keys, type, id, data);
  await ctx.transact([
    putResource(ctx, resource, firstOps),
    ...indexes.unique.map((u) => putMarker(ctx, type, id, u)),
    ...indexes.lookups.map((l) => putLookup(ctx, l)),
    bumpCounter(ctx, type, 1, randomShard()),
    ...firstOps.flatMap((op) => memberActions(ctx, id, op)),
  ]);
  return resource;
}

/**
 * Reads a resource a write will start from (consistent): NotFoundError when absent, and
 * PreconditionFailedError when an If-Match is given that its version does not satisfy.
 */
export async function readForWrite(ctx: TableContext, type: ResourceType, id: string, expectedVersion: ExpectedVersion | undefined): Promise<StoredResource> {
  const current = await getResource(ctx, type, id);
  if (!current) throw new NotFoundError(type, id);
  checkVersion(expectedVersion, current.version);
  return current;
}

/** The audit action a user's new data calls for: a flip of `active` is recorded. */
export function activationAudit(before: Json, after: Json): AuditRecord['action'] | undefined {
  const change = activationChange(before, after);
  return change === 'deactivated' ? 'deactivate' : change === 'reactivated' ? 'reactivate' : undefined;
}

/**
 * Writes a user's new data on the version it was read at (one attempt: a concurrent write is
 * ConcurrentModificationError, for the caller's optimistic loop), with the audit record asked for.
 */
export async function writeUser(ctx: TableContext, current: StoredResource, data: Json, opts: WriteOptions & { audit?: AuditRecord['action'] }): Promise<StoredResource> {
  requireString(data, 'userName');
  return (await writeResourceChange(ctx, current, data, opts, [])).resource;
}

/**
 * Updates a user from its current state, re-reading after a concurrent write (a convenience for
 * scripts and tests; the provisioning layer runs its own loop over readForWrite and writeUser).
 */
export async function updateUser(ctx: TableContext, id: string, update: (current: StoredResource) => Json, opts: WriteOptions): Promise<StoredResource> {
  return retryOnConcurrentWrite(async () => {
    const current = await readForWrite(ctx, 'User', id, opts.expectedVersion);
    const data = update(current);
    return writeUser(ctx, current, data, { ...opts, audit: activationAudit(current.data, data) });
  });
}

/**
 * Writes the new data of a resource read at `current.version`, with marker/lookup swaps, the
 * audit record asked for, and as many member ops as fit in the same transaction; returns the ops
 * written (`applied`) and those that did not fit (`rest`).
 */
export async function writeResourceChange(
  ctx: TableContext,
  current: StoredResource,
  data: Json,
  opts: WriteOptions & { audit?: AuditRecord['action'] },
  ops: readonly MemberOp[],
  extra: readonly TxAction[] = [],
): Promise<{ resource: StoredResource; applied: MemberOp[]; rest: MemberOp[] }> {
  const { id, resourceType: type } = current;
  const now = ctx.now();
  const actions: TxAction[] = [...extra, ...indexChanges(ctx, type, id, resourceIndexes(ctx.keys, type, id, current.data), resourceIndexes(ctx.keys, type, id, data))];
  const audit = opts.audit ? putAudit(ctx, { at: now, type, id, action: opts.audit, data, actor: opts.actor }, ctx.limits.auditRetentionDays) : undefined;
  // With index changes or member ops the record joins their transaction; alone (a deactivation or
  // reactivation, Entra's most common write after lookups) it follows the plain Update instead.
  if (audit && (actions.length > 0 || ops.length > 0)) actions.push(audit);
  const { first, rest } = splitOps(ops, MAX_TRANSACT_ITEMS - 1 - actions.length);
  const delta = memberCountDelta(first);
  checkDataSize(data);
  const resource: StoredResource = { ...current, version: current.version + 1, lastModified: now.toISOString(), data };
  if (type === 'Group') resource.memberCount = (current.memberCount ?? 0) + delta;
  const update = updateResourceData(ctx, current, resource, delta, type === 'Group' ? memberChangeOf(first) : undefined);
  const onItemFailed = onVersionFailed(type, id, opts.expectedVersion);
  const members = first.flatMap((op) => memberActions(ctx, id, op));
  if (actions.length === 0 && members.length === 0) {
    // A plain conditional Update costs half the write units of a one-item transaction.
    await ctx.conditionalUpdate(update, onItemFailed);
    // Deactivate/reactivate: Update + PutItem is 2 WCU where a two-item transaction is 4. The
    // record is written once the change is committed; only a failure between the two writes
    // (after the SDK's retries) can leave a change without its record, and that request fails.
    if (audit) await ctx.putItem(audit.item.Put!.Item as Record<string, unknown>);
  } else {
    await ctx.transact([{ item: { Update: update as NonNullable<TransactItem['Update']> }, onConditionFailed: onItemFailed }, ...actions, ...members]);
  }
  return { resource, applied: first, rest };
}
