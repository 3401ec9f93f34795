import { describe, expect, it } from 'vitest';
import { createStoreHarness, groupData, userData, type StoreHarness } from './harness';
import { InvalidMemberError } from '../../lambdas/store/errors';
import { ScimStore } from '../../lambdas/store/ScimStore';
import { createDynamoClients } from '../../lambdas/store/clients';

type TxItem = { Put?: { Item?: Record<string, unknown> }; Delete?: { Key?: Record<string, unknown> }; Update?: { Key?: Record<string, unknown> } };

/** A transaction that writes a membership (a PATCH or create adding members). */
const writesMembership = (items: TxItem[]) => items.some((i) => String(i.Put?.Item?.SK ?? '').startsWith('MEMBER#'));
/** A transaction that deletes a user item (the one-transaction user delete turns it into a data-free tombstone). */
const deletesUser = (items: TxItem[]) =>
  items.some((i) => {
    const key = i.Delete?.Key ?? i.Update?.Key;
    return String(key?.PK ?? '').startsWith('USER#') && key?.SK === 'META';
  });

/**
 * A second store on the harness's table whose first transaction matching `holds` waits until
 * `release()`: the window between a write's reads and its commit, held open so the other side of
 * the race lands in it every time (no timing luck).
 */
function pausedStore(h: StoreHarness, holds: (items: TxItem[]) => boolean = writesMembership): { store: ScimStore; reached: Promise<void>; release: () => void } {
  const { doc } = createDynamoClients({ endpoint: h.table.endpoint });
  let release!: () => void;
  let reach!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: TxItem[] }).TransactItems;
      if ((context as { commandName?: string }).commandName === 'TransactWriteItemsCommand' && items && holds(items)) {
        reach();
        await gate;
      }
      return next(args);
    },
    { step: 'initialize', name: 'pauseMembershipWrites' },
  );
  return { store: new ScimStore({ doc, tableName: h.table.tableName }), reached, release };
}

describe('ScimStore: a DELETE racing a membership write', () => {
  it('leaves no membership of a user deleted between the PATCH check and its commit, without any cleanup pass', async () => {
    // Prepare: a user and a group; the PATCH's transaction is held after it found the user alive.
    const h = await createStoreHarness();
    const u = await h.store.createUser(userData('leaver@acme-corp.io'));
    const g = await h.store.createGroup(groupData('Racers'));
    const paused = pausedStore(h);
    // Act: the PATCH checks, the DELETE commits, then the PATCH commits.
    const patch = paused.store.updateGroup(g.id, { add: [{ value: u.id }] });
    await paused.reached;
    await h.store.deleteUser(u.id);
    paused.release();
    await patch;
    // Assess: no maintenance ran (continueCleanup), yet the group does not list the deleted user.
    expect((await h.store.listMembers(g.id)).members).toEqual([]);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(0);
    expect((await h.partition(`GROUP#${g.id}`)).filter((i) => String(i.SK).startsWith('MEMBER#'))).toEqual([]);
  });

  it('leaves no membership when the DELETE read the groups before the PATCH committed and commits after it', async () => {
    // Prepare: the DELETE's transaction is held after its reverse-index read found no group.
    const h = await createStoreHarness();
    const u = await h.store.createUser(userData('late-leaver@acme-corp.io'));
    const g = await h.store.createGroup(groupData('Late racers'));
    const paused = pausedStore(h, deletesUser);
    // Act: the DELETE reads, the PATCH checks and commits (the user is still there), the DELETE commits.
    const del = paused.store.deleteUser(u.id);
    await paused.reached;
    await h.store.updateGroup(g.id, { add: [{ value: u.id }] });
    paused.release();
    await del;
    // Assess
    expect(await h.store.getUser(u.id)).toBeUndefined();
    expect((await h.store.listMembers(g.id)).members).toEqual([]);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(0);
  });

  it('does the same for a group created with a user deleted meanwhile', async () => {
    // Prepare
    const h = await createStoreHarness();
    const [stays, leaves] = [await h.store.createUser(userData('stays@acme-corp.io')), await h.store.createUser(userData('leaves@acme-corp.io'))];
    const paused = pausedStore(h);
    // Act
    const create = paused.store.createGroup(groupData('Created'), [{ value: stays.id }, { value: leaves.id }]);
    await paused.reached;
    await h.store.deleteUser(leaves.id);
    paused.release();
    const g = await create;
    // Assess: the answer and the table agree: one member, the one that still exists.
    expect(g.memberCount).toBe(1);
    expect((await h.store.listMembers(g.id)).members.map((m) => m.value)).toEqual([stays.id]);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(1);
  });

  it('refuses to nest a group deleted between the PATCH check and its commit', async () => {
    // Prepare
    const h = await createStoreHarness();
    const [parent, child] = [await h.store.createGroup(groupData('Parent')), await h.store.createGroup(groupData('Child'))];
    const paused = pausedStore(h);
    // Act
    const patch = paused.store.updateGroup(parent.id, { add: [{ value: child.id }] }).catch((e: unknown) => e);
    await paused.reached;
    await h.store.deleteGroup(child.id);
    paused.release();
    const outcome = await patch;
    // Assess: the nested group's liveness is part of the transaction, so nothing was written.
    expect(outcome).toBeInstanceOf(InvalidMemberError);
    expect((await h.store.listMembers(parent.id)).members).toEqual([]);
    expect((await h.store.getGroup(parent.id))?.version).toBe(1);
  });

  it('never lists a deleted user after many parallel add-and-delete races', async () => {
    // Prepare: 12 users, each added to one group by a PATCH while it is being deleted.
    const h = await createStoreHarness();
    const g = await h.store.createGroup(groupData('Parallel'));
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => h.store.createUser(userData(`p${i}@acme-corp.io`))));
    // Act
    await Promise.allSettled(users.flatMap((u) => [h.store.updateGroup(g.id, { add: [{ value: u.id }] }), h.store.deleteUser(u.id)]));
    // Assess: whichever order each pair committed in, no membership of a deleted user is left.
    expect((await h.store.listMembers(g.id)).members).toEqual([]);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(0);
  });
});
