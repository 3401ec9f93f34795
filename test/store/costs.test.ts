import { afterAll, describe, expect, it } from 'vitest';
import { createStoreHarness, groupData, userData } from './harness';
import type { MemberRef } from '../../lambdas/store/items';

/**
 * The cost table of docs/design.md "Data: single table, access patterns first", measured with the request
 * counter middleware on DynamoDB Local. Run with SHOW_COSTS=1 to print it.
 */
const measured: Record<string, { requests: number; byCommand: Record<string, number>; itemWrites: number }> = {};

afterAll(() => {
  if (process.env.SHOW_COSTS) console.table(Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, { requests: v.requests, itemWrites: v.itemWrites, calls: JSON.stringify(v.byCommand) }])));
});

describe('ScimStore request costs', () => {
  it('meets the docs/design.md cost targets for every operation', async () => {
    // Prepare
    let t = Date.parse('2026-05-01T00:00:00Z');
    const h = await createStoreHarness({ now: () => new Date((t += 1000)) });
    const measure = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      h.counter.reset();
      const out = await f();
      measured[name] = { requests: h.counter.counts.requests, byCommand: { ...h.counter.counts.byCommand }, itemWrites: h.counter.counts.itemWrites };
      return out;
    };
    const others = await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.createUser(userData(`other${i}`))));
    const asUsers = (n: number, from = 0): MemberRef[] => others.slice(from, from + n).map((u) => ({ value: u.id, type: 'User' }));

    // Act
    const u = await measure('user.create', () => h.store.createUser(userData('alice', { externalId: 'a-1', emails: [{ value: 'a@x.com', type: 'work' }] })));
    await measure('user.get', () => h.store.getUser(u.id));
    await measure('user.filter.userName', () => h.store.queryUsers({ plan: { kind: 'userName', value: 'ALICE' }, count: 100 }));
    await measure('user.filter.externalId', () => h.store.queryUsers({ plan: { kind: 'externalId', value: 'a-1' }, count: 100 }));
    await measure('user.filter.email', () => h.store.queryUsers({ plan: { kind: 'email', value: 'a@x.com', type: 'work' }, count: 100 }));
    await measure('user.patch', () => h.store.updateUser(u.id, (c) => ({ ...c.data, title: 'x' })));
    await measure('user.put.rename', () => h.store.replaceUser(u.id, userData('alice2', { externalId: 'a-1' })));
    // As the provisioning layer deactivates: read, then write with the audit record.
    await measure('user.deactivate', async () => {
      const current = await h.store.readForWrite('User', u.id);
      return h.store.writeUser(current, { ...current.data, active: false }, { audit: 'deactivate' });
    });
    await h.store.queryUsers({ plan: { kind: 'list' }, startIndex: 1, count: 10 });
    await measure('user.list.page', () => h.store.queryUsers({ plan: { kind: 'list' }, startIndex: 11, count: 10 }));
    // The tenant's cursor HMAC key is read (or made) once per container, not per page: warm it first.
    await h.store.queryUsers({ plan: { kind: 'list' }, cursor: '', count: 1 });
    await measure('user.list.cursorPage', () => h.store.queryUsers({ plan: { kind: 'list' }, cursor: '', count: 10 }));
    const g = await measure('group.create.10members', () => h.store.createGroup(groupData('G', { externalId: 'g-1' }), [...asUsers(10), { value: u.id, type: 'User' }]));
    await measure('group.get', () => h.store.getGroup(g.id));
    await measure('group.filter.displayName', () => h.store.queryGroups({ plan: { kind: 'displayName', value: 'g' }, count: 10 }));
    await measure('group.filter.idAndMember', () => h.store.queryGroups({ plan: { kind: 'id', value: g.id, memberValue: u.id }, count: 10 }));
    await measure('group.filter.member', () => h.store.queryGroups({ plan: { kind: 'member', value: u.id }, count: 10 }));
    await measure('group.listMembers.firstPage', () => h.store.listMembers(g.id));
    await measure('group.patch.add10', () => h.store.updateGroup(g.id, { add: asUsers(10, 10) }));
    await measure('group.patch.remove10', () => h.store.updateGroup(g.id, { remove: asUsers(10, 10).map((m) => m.value) }));
    await measure('group.replaceMembers', () => h.store.updateGroup(g.id, { replaceAll: [...asUsers(5), ...asUsers(5, 20)] }));
    await measure('user.groups', () => h.store.groupsOfUser(others[0].id));
    await h.store.updateGroup(g.id, { add: [{ value: u.id, type: 'User' }] });
    await measure('user.delete.in1group', () => h.store.deleteUser(u.id));
    const inFour = await h.store.createUser(userData('bob', { externalId: 'b-1', emails: [{ value: 'b@x.com', type: 'work' }] }));
    for (let i = 0; i < 4; i++) await h.store.createGroup(groupData(`K${i}`), [{ value: inFour.id, type: 'User' }]);
    await measure('user.delete.in4groups', () => h.store.deleteUser(inFour.id));
    await measure('group.delete.10members', () => h.store.deleteGroup(g.id));

    // Assess
    const requests = Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, v.requests]));
    expect(requests).toEqual({
      'user.create': 1,
      'user.get': 1,
      'user.filter.userName': 2,
      'user.filter.externalId': 2,
      'user.filter.email': 2,
      'user.patch': 2,
      'user.put.rename': 2,
      'user.deactivate': 3,
      'user.list.page': 4,
      'user.list.cursorPage': 2,
      'group.create.10members': 3,
      'group.get': 1,
      'group.filter.displayName': 2,
      'group.filter.idAndMember': 1,
      'group.filter.member': 2,
      'group.listMembers.firstPage': 1,
      'group.patch.add10': 4,
      'group.patch.remove10': 3,
      'group.replaceMembers': 5,
      'user.groups': 2,
      'user.delete.in1group': 4,
      'user.delete.in4groups': 4,
      'group.delete.10members': 6,
    });
    expect(measured['user.create'].byCommand).toEqual({ TransactWriteItemsCommand: 1 });
    expect(measured['user.patch'].byCommand).toEqual({ GetItemCommand: 1, UpdateItemCommand: 1 });
    // No transaction for a deactivation: the conditional Update, then the audit record (2 WCU, not 4).
    expect(measured['user.deactivate'].byCommand).toEqual({ GetItemCommand: 1, UpdateItemCommand: 1, PutItemCommand: 1 });
    expect(measured['group.patch.add10'].itemWrites).toBe(11);
    // One transaction: item, userName marker, externalId and email lookups, counter, audit record,
    // pending-cleanup item, and per group its membership and its count/version.
    // Then the reverse index once more, for a membership a racing PATCH committed meanwhile.
    expect(measured['user.delete.in4groups'].byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2, TransactWriteItemsCommand: 1 });
    expect(measured['user.delete.in4groups'].itemWrites).toBe(7 + 2 * 4);
    expect(h.counter.counts.scans).toBe(0);
    // ~80 sequential store calls: over 30 s on a loaded shared machine.
  }, 120_000);
});
