import { describe, it, expect } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createStoreHarness, userData, groupData } from './harness';
import { membershipKey, resourceKey } from '../../lambdas/store/keys';
import { WRITE_STAMP_ATTRIBUTE } from '../../lambdas/store/changeAttributes';
import { withWriteStamp } from '../../lambdas/store/writeContext';

describe('ScimStore delete recheck', () => {
  it('removes a membership written after the user was cleaned up, on the second pass a minute later', async () => {
    // Prepare: a clock we move, a user in a group, and the items an in-flight PATCH would write
    let now = Date.parse('2026-11-23T10:00:00Z');
    const h = await createStoreHarness({ now: () => new Date(now) });
    const u = await h.store.createUser(userData('late@example.com'));
    const g = await h.store.createGroup(groupData('Late'), [{ value: u.id, type: 'User' }]);
    const get = async (key: { PK: string; SK: string }) => (await h.table.doc.send(new GetCommand({ TableName: h.table.tableName, Key: key, ConsistentRead: true }))).Item!;
    const membership = await get(membershipKey(g.id, u.id));
    const groupItem = await get(resourceKey('Group', g.id));

    // Act: the delete cleans up; then a PATCH that saw the user alive lands its membership (the race)
    await h.store.deleteUser(u.id);
    await h.table.doc.send(new PutCommand({ TableName: h.table.tableName, Item: groupItem }));
    await h.table.doc.send(new PutCommand({ TableName: h.table.tableName, Item: membership }));
    const early = await h.store.continueCleanup();
    const stillThere = (await h.store.listMembers(g.id)).members.map((m) => m.value);
    now += 61_000;
    const due = await h.store.continueCleanup();

    // Assess: not before it is due; then gone, counted down, and nothing left to recheck
    expect(early).toBe(0);
    expect(stillThere).toEqual([u.id]);
    expect(due).toBe(0);
    expect((await h.store.listMembers(g.id)).members).toEqual([]);
    expect((await h.store.getGroup(g.id))?.memberCount).toBe(0);
    expect(await h.partition('CLEANUP')).toEqual([]);
  });
});

describe('ScimStore one-transaction user delete', () => {
  it("leaves a data-free tombstone stamped with the deleter, which no read finds and the recheck pass removes", async () => {
    // Prepare
    let now = Date.parse('2026-11-23T10:00:00Z');
    const h = await createStoreHarness({ now: () => new Date(now) });
    const u = await h.store.createUser(userData('leaver@example.com', { externalId: 'ext-leaver' }));
    const get = async () => (await h.table.doc.send(new GetCommand({ TableName: h.table.tableName, Key: resourceKey('User', u.id), ConsistentRead: true }))).Item;
    const stamp = { tokenId: 'tok_deleter', label: 'entra prod', requestId: 'req-1' };

    // Act
    await withWriteStamp(stamp, () => h.store.deleteUser(u.id));
    const tombstone = await get();
    const found = await h.store.getUser(u.id);
    now += 61_000;
    await h.store.continueCleanup();

    // Assess: the stream's image of the delete names the deleter (lambdas/events reads it), and
    // holds no personal data nor any index key; nothing is left after the recheck
    expect(tombstone?.deleting).toBeTypeOf('string');
    expect(tombstone?.[WRITE_STAMP_ATTRIBUTE]).toEqual(stamp);
    expect(tombstone?.data).toBeUndefined();
    expect(Object.keys(tombstone ?? {}).filter((k) => /^GSI\d/.test(k))).toEqual([]);
    expect(found).toBeUndefined();
    expect(await get()).toBeUndefined();
    expect(await h.partition('CLEANUP')).toEqual([]);
  });
});
