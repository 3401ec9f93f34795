import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreHarness, groupData, userData, type StoreHarness } from './harness';
import { ConflictError, CycleError, InvalidMemberError, MAX_LISTED_MISSING_MEMBERS, NotFoundError, PreconditionFailedError, ResourceTooLargeError, TooManyResultsError } from '../../lambdas/store/errors';
import type { MemberRef } from '../../lambdas/store/items';
import { retryOnConcurrentWrite } from '../../lambdas/store';

/** The one item a delete keeps on purpose: its second reverse-index pass, due a minute later (TTL-bound). */
const isRecheck = (i: Record<string, unknown>) => i.PK === 'CLEANUP' && typeof i.recheckAfter === 'string';

let h: StoreHarness;
beforeEach(async () => {
  h = await createStoreHarness();
});

async function seedUsers(n: number, prefix = 'm'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, j) => h.store.createUser(userData(`${prefix}${i + j}`))));
    ids.push(...batch.map((u) => u.id));
  }
  return ids;
}

async function allMembers(groupId: string, limit = 1000): Promise<MemberRef[]> {
  const out: MemberRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.store.listMembers(groupId, { limit, cursor });
    out.push(...page.members);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const asUsers = (ids: string[]): MemberRef[] => ids.map((value) => ({ value, type: 'User' }));

describe('ScimStore groups', () => {
  it('creates a group with members in one transaction between two BatchGets: the check, then the re-read for a user deleted meanwhile', async () => {
    // Prepare
    const ids = await seedUsers(3);
    h.counter.reset();
    // Act
    const g = await h.store.createGroup(groupData('Sales', { externalId: 'sales-1' }), asUsers(ids));
    // Assess
    expect(h.counter.counts.byCommand).toEqual({ BatchGetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(g.memberCount).toBe(3);
    expect((await allMembers(g.id)).map((m) => m.value).sort()).toEqual([...ids].sort());
  });

  it('refuses a second group whose displayName differs only in case', async () => {
    await h.store.createGroup(groupData('Eng'));
    const err = await h.store.createGroup(groupData('ENG')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).attribute).toBe('displayName');
  });

  it('lets exactly one of 10 concurrent creates of one displayName win', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => h.store.createGroup(groupData(i % 2 ? 'Ops' : 'OPS'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(9);
    const items = await h.allItems();
    expect(items.filter((i) => String(i.PK).startsWith('GROUP#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.PK).startsWith('UNIQUE#GROUP#'))).toHaveLength(1);
  });

  it('refuses to create a group with a member that does not exist and writes nothing', async () => {
    const [u] = await seedUsers(1);
    const err = await h.store.createGroup(groupData('Bad'), [{ value: u, type: 'User' }, { value: 'ghost', type: 'User' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidMemberError);
    expect((err as InvalidMemberError).ids).toEqual(['ghost']);
    expect((await h.allItems()).filter((i) => String(i.PK).startsWith('GROUP#') || String(i.PK).startsWith('UNIQUE#GROUP'))).toEqual([]);
  });

  it('bounds the reads and the error of a create naming 20,000 members that do not exist', async () => {
    // Prepare: ids of the shape we issue, none of them a user or a group.
    const ghosts = Array.from({ length: 20_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    h.counter.reset();
    // Act
    const err = await h.store.createGroup(groupData('Ghosts'), ghosts.map((value) => ({ value }))).catch((e: unknown) => e);
    // Assess: one round of 200 members (as users, then as groups: 400 keys), not 40,000 keys.
    expect(err).toBeInstanceOf(InvalidMemberError);
    const e = err as InvalidMemberError;
    expect(e.ids).toEqual(ghosts.slice(0, MAX_LISTED_MISSING_MEMBERS));
    expect(e.message).toContain('and 100 more; 19,800 further members were not checked');
    expect(e.message.length).toBeLessThan(5_000);
    expect(h.counter.counts.byCommand).toEqual({ BatchGetItemCommand: 4 });
    expect(await h.allItems()).toEqual([]);
  });

  it('bounds a PATCH adding 20,000 missing members the same way, and writes nothing', async () => {
    // Prepare
    const [a] = await seedUsers(1);
    const g = await h.store.createGroup(groupData('Patched'), asUsers([a]));
    const ghosts = Array.from({ length: 20_000 }, (_, i) => `ghost-${i}`);
    h.counter.reset();
    // Act: a real member first, then the ghosts; the membership keys ride along in the same BatchGets.
    const err = await h.store.updateGroup(g.id, { add: [{ value: a }, ...ghosts.map((value) => ({ value }))] }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(InvalidMemberError);
    expect((err as InvalidMemberError).ids).toHaveLength(MAX_LISTED_MISSING_MEMBERS);
    expect((err as InvalidMemberError).message).toMatch(/and 99 more; 19,801 further members were not checked$/);
    expect(h.counter.counts.byCommand.BatchGetItemCommand).toBeLessThanOrEqual(6);
    expect((await h.store.getGroup(g.id))?.version).toBe(1);
  });

  it('finds every member of a large valid create, users read once and groups twice', async () => {
    // Prepare: 450 users and 2 groups, untyped, across three rounds (200, 400).
    const users = await seedUsers(450);
    const [g1, g2] = [await h.store.createGroup(groupData('n1')), await h.store.createGroup(groupData('n2'))];
    h.counter.reset();
    // Act
    const g = await h.store.createGroup(groupData('Big'), [...users, g1.id, g2.id].map((value) => ({ value })));
    // Assess: round 1 (200 users: 2 calls), round 2 (252: 3 calls, then the 2 groups: 1 call),
    // the nesting guard of the chunk that adds the groups (1 call), and the re-read of the 450
    // added users after the writes (5 calls).
    expect(g.memberCount).toBe(452);
    expect(h.counter.counts.byCommand.BatchGetItemCommand).toBe(12);
    const types = new Map((await allMembers(g.id)).map((m) => [m.value, m.type]));
    expect([types.get(g1.id), types.get(g2.id), types.get(users[0])]).toEqual(['Group', 'Group', 'User']);
  });

  it('reads a group with one GetItem whatever its member count', async () => {
    // Prepare
    const ids = await seedUsers(300);
    const small = await h.store.createGroup(groupData('small'));
    const big = await h.store.createGroup(groupData('big'), asUsers(ids));
    h.counter.reset();
    // Act
    await h.store.getGroup(small.id);
    const smallCost = { ...h.counter.counts };
    h.counter.reset();
    const read = await h.store.getGroup(big.id);
    // Assess
    expect(smallCost.requests).toBe(1);
    expect(h.counter.counts.requests).toBe(1);
    expect(h.counter.counts.readUnits).toBe(smallCost.readUnits);
    expect(read?.memberCount).toBe(300);
    expect(read?.data).not.toHaveProperty('members');
  });

  it('adds 10 members at the same write cost to a group of 0 and a group of 500', async () => {
    // Prepare
    const members = await seedUsers(500, 'a');
    const ten = await seedUsers(10, 'b');
    const empty = await h.store.createGroup(groupData('empty'));
    const full = await h.store.createGroup(groupData('full'), asUsers(members));
    // Act
    h.counter.reset();
    await h.store.updateGroup(empty.id, { add: asUsers(ten) });
    const emptyCost = { ...h.counter.counts };
    h.counter.reset();
    await h.store.updateGroup(full.id, { add: asUsers(ten) });
    const fullCost = { ...h.counter.counts };
    // Assess
    if (process.env.SHOW_COSTS) console.log('add10', JSON.stringify({ emptyCost, fullCost }));
    // DynamoDB Local reports a constant ConsumedCapacity per transaction, so item writes are the exact measure.
    expect(emptyCost.itemWrites).toBe(11);
    expect(fullCost.itemWrites).toBe(emptyCost.itemWrites);
    expect(fullCost.writeUnits).toBe(emptyCost.writeUnits);
    expect(fullCost.readUnits).toBe(emptyCost.readUnits);
    expect(fullCost.requests).toBe(emptyCost.requests);
    expect(fullCost.requests).toBeLessThanOrEqual(4);
    expect((await h.store.getGroup(full.id))?.memberCount).toBe(510);
  });

  it('applies concurrent member additions to one group without losing any', async () => {
    // Prepare
    const ids = await seedUsers(40);
    const g = await h.store.createGroup(groupData('busy'));
    // Act: 8 parallel PATCHes of 5 members each
    await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.updateGroup(g.id, { add: asUsers(ids.slice(i * 5, i * 5 + 5)) })));
    // Assess
    const after = await h.store.getGroup(g.id);
    expect(after?.memberCount).toBe(40);
    expect(after?.version).toBe(9);
    expect(await allMembers(g.id)).toHaveLength(40);
  });

  it('treats adding an existing member and removing an absent one as no-ops', async () => {
    // Prepare
    const [a, b, c] = await seedUsers(3);
    const g = await h.store.createGroup(groupData('idem'), asUsers([a]));
    // Act
    const after = await h.store.updateGroup(g.id, { add: asUsers([a, b]), remove: [c, 'never-was'] });
    const again = await h.store.updateGroup(g.id, { add: asUsers([a, b]) });
    // Assess
    expect(after.memberCount).toBe(2);
    expect(again.memberCount).toBe(2);
    expect(again.version).toBe(3);
    expect((await allMembers(g.id)).map((m) => m.value).sort()).toEqual([a, b].sort());
  });

  it('removes members and their reverse-index entries', async () => {
    const [a, b] = await seedUsers(2);
    const g = await h.store.createGroup(groupData('rm'), asUsers([a, b]));
    const after = await h.store.updateGroup(g.id, { remove: [a] });
    expect(after.memberCount).toBe(1);
    expect(await h.store.groupMembership(g.id, a)).toBe(false);
    expect(await h.store.groupMembership(g.id, b)).toBe(true);
    expect(await h.store.groupsOfUser(a)).toEqual([]);
  });

  it('applies nothing of a change that names a member that does not exist', async () => {
    // Prepare
    const [a, b] = await seedUsers(2);
    const g = await h.store.createGroup(groupData('strict'), asUsers([a]));
    // Act
    const err = await h.store
      .updateGroup(g.id, { data: (c) => ({ ...c.data, description: 'x' }), add: [{ value: b }, { value: 'nobody' }], remove: [a] })
      .catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(InvalidMemberError);
    expect((err as InvalidMemberError).ids).toEqual(['nobody']);
    const now = await h.store.getGroup(g.id);
    expect(now?.version).toBe(1);
    expect(now?.data.description).toBeUndefined();
    expect((await allMembers(g.id)).map((m) => m.value)).toEqual([a]);
  });

  it('finds the member type when the IdP omits it', async () => {
    const [u] = await seedUsers(1);
    const child = await h.store.createGroup(groupData('child'));
    const g = await h.store.createGroup(groupData('parent'), [{ value: u }, { value: child.id, display: 'child' }]);
    const members = await allMembers(g.id);
    expect(members.find((m) => m.value === u)?.type).toBe('User');
    expect(members.find((m) => m.value === child.id)).toEqual({ value: child.id, type: 'Group', display: 'child' });
  });

  it('refuses a nested group that would make a cycle, including a group in itself', async () => {
    // Prepare: top > mid > leaf
    const leaf = await h.store.createGroup(groupData('leaf'));
    const mid = await h.store.createGroup(groupData('mid'), [{ value: leaf.id, type: 'Group' }]);
    const top = await h.store.createGroup(groupData('top'), [{ value: mid.id, type: 'Group' }]);
    // Act / Assess
    await expect(h.store.updateGroup(leaf.id, { add: [{ value: top.id, type: 'Group' }] })).rejects.toBeInstanceOf(CycleError);
    await expect(h.store.updateGroup(leaf.id, { add: [{ value: leaf.id, type: 'Group' }] })).rejects.toBeInstanceOf(CycleError);
    expect((await h.store.getGroup(leaf.id))?.memberCount).toBe(0);
  });

  it('lists direct and indirect groups of a user', async () => {
    // Prepare: top > mid > user, other > user
    const [u] = await seedUsers(1);
    const mid = await h.store.createGroup(groupData('mid'), [{ value: u, type: 'User' }]);
    const other = await h.store.createGroup(groupData('other'), [{ value: u, type: 'User' }]);
    const top = await h.store.createGroup(groupData('top'), [{ value: mid.id, type: 'Group' }]);
    h.counter.reset();
    // Act
    const groups = await h.store.groupsOfUser(u);
    // Assess
    expect(groups.sort((x, y) => x.display!.localeCompare(y.display!))).toEqual([
      { value: mid.id, display: 'mid', type: 'direct' },
      { value: other.id, display: 'other', type: 'direct' },
      { value: top.id, display: 'top', type: 'indirect' },
    ]);
  });

  it('reads a user\'s direct groups with one reverse-index Query and one BatchGet when no nesting is involved', async () => {
    const [u] = await seedUsers(1);
    await Promise.all(['a', 'b', 'c'].map((n) => h.store.createGroup(groupData(n), [{ value: u, type: 'User' }])));
    h.counter.reset();
    const groups = await h.store.groupsOfUser(u);
    expect(groups).toHaveLength(3);
    expect(h.counter.counts.byCommand).toEqual({ QueryCommand: 1, BatchGetItemCommand: 1 });
  });

  it('applies a change of more than 100 members in chunks that converge and keep the count exact', async () => {
    // Prepare
    const ids = await seedUsers(250);
    const g = await h.store.createGroup(groupData('chunky'), asUsers(ids.slice(0, 120)));
    // Act
    const after = await h.store.updateGroup(g.id, { add: asUsers(ids.slice(100)), remove: ids.slice(0, 50) });
    // Assess
    expect(after.memberCount).toBe(200);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(200);
    expect((await allMembers(g.id, 37)).map((m) => m.value).sort()).toEqual(ids.slice(50).sort());
  });

  // 1,000 createUser transactions on DynamoDB Local, each also writing the sorted indexes' entries: a longer timeout.
  it('pages a 1,000-member group without duplicates or gaps', async () => {
    // Prepare
    const ids = await seedUsers(1000);
    const g = await h.store.createGroup(groupData('thousand'));
    for (let i = 0; i < ids.length; i += 250) await h.store.updateGroup(g.id, { add: asUsers(ids.slice(i, i + 250)) });
    h.counter.reset();
    // Act
    const members = await allMembers(g.id, 200);
    // Assess
    expect(members).toHaveLength(1000);
    expect(new Set(members.map((m) => m.value))).toEqual(new Set(ids));
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(1000);
    expect(h.counter.counts.byCommand.QueryCommand).toBeLessThanOrEqual(6);
  }, 120_000);

  it('replaces the whole member list by writing only the difference', async () => {
    // Prepare
    const ids = await seedUsers(30);
    const g = await h.store.createGroup(groupData('replace'), asUsers(ids.slice(0, 20)));
    h.counter.reset();
    // Act: keep 10..19, drop 0..9, add 20..24
    const after = await h.store.updateGroup(g.id, { replaceAll: asUsers(ids.slice(10, 25)) });
    // Assess
    expect(after.memberCount).toBe(15);
    expect(h.counter.counts.byCommand.TransactWriteItemsCommand).toBe(1);
    expect((await allMembers(g.id)).map((m) => m.value).sort()).toEqual(ids.slice(10, 25).sort());
  });

  it('renames a group by swapping its displayName marker, honouring expectedVersion', async () => {
    const g = await h.store.createGroup(groupData('Old Name', { externalId: 'eg' }));
    await expect(h.store.updateGroup(g.id, { data: (c) => ({ ...c.data, displayName: 'New' }) }, { expectedVersion: 9 })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    const renamed = await h.store.updateGroup(g.id, { data: (c) => ({ ...c.data, displayName: 'New' }) }, { expectedVersion: 1 });
    expect(renamed.version).toBe(2);
    expect((await h.store.queryGroups({ plan: { kind: 'displayName', value: 'new' }, count: 10 })).resources.map((r) => r.id)).toEqual([g.id]);
    expect((await h.store.queryGroups({ plan: { kind: 'displayName', value: 'old name' }, count: 10 })).totalResults).toBe(0);
    await expect(h.store.createGroup(groupData('old name'))).resolves.toBeDefined();
  });

  it('serves group filters by key: displayName, externalId, member, and id with a member check in one request', async () => {
    // Prepare
    const [u, v] = await seedUsers(2);
    const g = await h.store.createGroup(groupData('Filters', { externalId: 'gx' }), asUsers([u]));
    await h.store.createGroup(groupData('Other'), asUsers([v]));
    // Act
    h.counter.reset();
    const byName = await h.store.queryGroups({ plan: { kind: 'displayName', value: 'FILTERS' }, count: 10 });
    const nameCost = h.counter.counts.requests;
    const byExt = await h.store.queryGroups({ plan: { kind: 'externalId', value: 'gx' }, count: 10 });
    const byMember = await h.store.queryGroups({ plan: { kind: 'member', value: u }, count: 10 });
    h.counter.reset();
    const idAndMember = await h.store.queryGroups({ plan: { kind: 'id', value: g.id, memberValue: u }, count: 10 });
    const idMemberCost = h.counter.counts.requests;
    const idAndNonMember = await h.store.queryGroups({ plan: { kind: 'id', value: g.id, memberValue: v }, count: 10 });
    // Assess
    expect(byName.resources.map((r) => r.id)).toEqual([g.id]);
    expect(nameCost).toBeLessThanOrEqual(2);
    expect(byExt.resources.map((r) => r.id)).toEqual([g.id]);
    expect(byMember.resources.map((r) => r.id)).toEqual([g.id]);
    expect(idAndMember.totalResults).toBe(1);
    expect(idMemberCost).toBe(1);
    expect(idAndNonMember.totalResults).toBe(0);
  });

  it('deletes a group with its memberships and reverse entries, hides them at once, and leaves an audit record', async () => {
    // Prepare
    const ids = await seedUsers(120);
    const child = await h.store.createGroup(groupData('child'));
    const parent = await h.store.createGroup(groupData('parent'));
    const g = await h.store.createGroup(groupData('doomed', { externalId: 'd1' }), [...asUsers(ids), { value: child.id, type: 'Group' }]);
    await h.store.updateGroup(parent.id, { add: [{ value: g.id, type: 'Group' }] });
    // Act
    const res = await h.store.deleteGroup(g.id, { actor: 'entra' });
    // Assess
    expect(res.complete).toBe(true);
    expect(await h.store.getGroup(g.id)).toBeUndefined();
    await expect(h.store.listMembers(g.id)).rejects.toBeInstanceOf(NotFoundError);
    // A parent's memberChange naming the deleted group is the change feed's record of its removal, not a leftover.
    const leftovers = (await h.allItems()).filter((i) => JSON.stringify({ ...i, memberChange: undefined }).includes(g.id) && !String(i.PK).startsWith('AUDIT#') && !isRecheck(i));
    expect(leftovers).toEqual([]);
    expect(await h.store.groupsOfUser(ids[0])).toEqual([]);
    expect((await h.store.getGroup(parent.id))?.memberCount).toBe(0);
    expect(await h.store.countResources('Group')).toBe(2);
    const day = new Date().toISOString().slice(0, 10);
    expect((await h.store.auditRecords(day)).filter((a) => a.resourceId === g.id)).toEqual([
      expect.objectContaining({ action: 'delete', resourceType: 'Group', actor: 'entra', externalId: 'd1' }),
    ]);
    // the child can now be nested anywhere again
    await expect(h.store.updateGroup(child.id, { add: [{ value: parent.id, type: 'Group' }] })).resolves.toBeDefined();
  });

  it('defers the cleanup of a huge group past its budget without ever showing its members, and finishes it later', async () => {
    // Prepare
    const ids = await seedUsers(60);
    const g = await h.store.createGroup(groupData('huge'), asUsers(ids));
    // Act
    const res = await h.store.deleteGroup(g.id, { cleanupBudget: 20 });
    // Assess
    expect(res.complete).toBe(false);
    expect(await h.store.getGroup(g.id)).toBeUndefined();
    await expect(h.store.listMembers(g.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await h.store.groupsOfUser(ids[59])).toEqual([]);
    expect((await h.store.queryGroups({ plan: { kind: 'member', value: ids[59] }, count: 10 })).totalResults).toBe(0);
    expect(await h.store.continueCleanup({ budget: 1000 })).toBe(0);
    expect((await h.allItems()).filter((i) => JSON.stringify(i).includes(g.id) && !String(i.PK).startsWith('AUDIT#') && !isRecheck(i))).toEqual([]);
  });
});

describe('ScimStore limits and recovery', () => {
  it('refuses a replaceAll over a group larger than maxReplaceRead with TooManyResultsError and writes nothing', async () => {
    // Prepare
    h = await createStoreHarness({ maxReplaceRead: 5 });
    const ids = await seedUsers(8);
    const g = await h.store.createGroup(groupData('capped'), asUsers(ids));
    // Act
    const err = await h.store.updateGroup(g.id, { replaceAll: asUsers(ids.slice(0, 2)) }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(TooManyResultsError);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(8);
  });

  it('refuses a resource too large for one item with ResourceTooLargeError and writes nothing', async () => {
    const err = await h.store.createUser(userData('big', { blob: 'x'.repeat(400_000) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceTooLargeError);
    expect(await h.allItems()).toEqual([]);
  });

  it('finishes an interrupted group delete when the delete is retried, then answers NotFoundError', async () => {
    // Prepare
    const ids = await seedUsers(30);
    const g = await h.store.createGroup(groupData('retry'), asUsers(ids));
    expect((await h.store.deleteGroup(g.id, { cleanupBudget: 10 })).complete).toBe(false);
    // Act
    const err = await h.store.deleteGroup(g.id).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(NotFoundError);
    expect((await h.allItems()).filter((i) => JSON.stringify(i).includes(g.id) && !String(i.PK).startsWith('AUDIT#') && !isRecheck(i))).toEqual([]);
    expect(await h.store.continueCleanup()).toBe(0);
  });
});

describe('ScimStore.writeGroup', () => {
  it('writes attributes and a member delta from the one group it read: GetItem, BatchGet, transaction, re-read of the added users', async () => {
    // Prepare
    const ids = await seedUsers(3);
    const g = await h.store.createGroup(groupData('Derived'), asUsers([ids[0]]));
    h.counter.reset();
    // Act
    const current = await h.store.readForWrite('Group', g.id);
    const written = await h.store.writeGroup(current, { data: { ...current.data, displayName: 'Derived renamed' }, add: [{ value: ids[1] }, { value: ids[2] }], remove: [ids[0]] });
    // Assess
    expect(h.counter.counts.byCommand).toEqual({ GetItemCommand: 1, BatchGetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(written.resource.data.displayName).toBe('Derived renamed');
    expect(written.added.map((m) => m.value).sort()).toEqual([ids[1], ids[2]].sort());
    expect(written.removed.map((m) => m.value)).toEqual([ids[0]]);
    expect((await allMembers(g.id)).map((m) => m.value).sort()).toEqual([ids[1], ids[2]].sort());
  });

  it('reports only the members it really changed: a re-add and the removal of a non-member are no-ops', async () => {
    // Prepare
    const ids = await seedUsers(3);
    const g = await h.store.createGroup(groupData('Effective'), asUsers([ids[0]]));
    // Act
    const current = await h.store.readForWrite('Group', g.id);
    const written = await h.store.writeGroup(current, { data: current.data, add: [{ value: ids[0] }, { value: ids[1] }], remove: [ids[2]] });
    // Assess
    expect(written.added.map((m) => m.value)).toEqual([ids[1]]);
    expect(written.removed).toEqual([]);
    expect(written.resource.memberCount).toBe(2);
  });

  it('loses no update when two writers race inside retryOnConcurrentWrite', async () => {
    // Prepare
    const ids = await seedUsers(2);
    const g = await h.store.createGroup(groupData('Raced'));
    const change = (patch: Record<string, unknown>, member: string) =>
      retryOnConcurrentWrite(async () => {
        const current = await h.store.readForWrite('Group', g.id);
        return h.store.writeGroup(current, { data: { ...current.data, ...patch }, add: [{ value: member }] });
      });
    // Act
    const results = await Promise.all([change({ description: 'a' }, ids[0]), change({ groupType: 'b' }, ids[1])]);
    // Assess
    const final = await h.store.getGroup(g.id);
    expect(final?.data).toMatchObject({ description: 'a', groupType: 'b' });
    expect(final?.memberCount).toBe(2);
    expect(results.flatMap((r) => r.added.map((m) => m.value)).sort()).toEqual([...ids].sort());
    expect(Math.max(...results.map((r) => r.resource.version))).toBe(final?.version);
  });

  it('refuses a write whose If-Match the group read no longer satisfies', async () => {
    // Prepare
    const g = await h.store.createGroup(groupData('Versioned'));
    // Act
    const err = await h.store.readForWrite('Group', g.id, [g.version + 1]).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(PreconditionFailedError);
  });
});
