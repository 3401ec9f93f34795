import { describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable } from '../support/dynamo';
import { ScimStore } from '../../lambdas/store/ScimStore';
import { KeySpace } from '../../lambdas/store/keys';
import { InvalidCursorError } from '../../lambdas/store/errors';
import { userData, groupData } from './harness';

describe('ScimStore key spaces', () => {
  it('keeps two tenants on one table apart: users, groups, lookups, counters, audit and cursors', async () => {
    // Prepare: one table, two stores with different prefixes, the same names in both
    const table = await createTestTable('pooled');
    const now = () => new Date('2026-06-01T10:00:00.000Z');
    const a = new ScimStore({ doc: table.doc, tableName: table.tableName, keyPrefix: 'a#', now });
    const b = new ScimStore({ doc: table.doc, tableName: table.tableName, keyPrefix: 'b#', now });
    const ua = await a.createUser(userData('same@example.com', { externalId: 'ext', emails: [{ value: 'same@example.com', type: 'work' }] }));
    const ua2 = await a.createUser(userData('second@example.com'));
    const ub = await b.createUser(userData('same@example.com', { externalId: 'ext', emails: [{ value: 'same@example.com', type: 'work' }] }));
    const ga = await a.createGroup(groupData('Same'), [{ value: ua.id }]);
    const gb = await b.createGroup(groupData('Same'), [{ value: ub.id }]);

    // Act
    const byUserName = await b.queryUsers({ plan: { kind: 'userName', value: 'same@example.com' }, count: 10 });
    const byExternalId = await b.queryUsers({ plan: { kind: 'externalId', value: 'ext' }, count: 10 });
    const byEmail = await b.queryUsers({ plan: { kind: 'email', value: 'same@example.com' }, count: 10 });
    const byDisplayName = await b.queryGroups({ plan: { kind: 'displayName', value: 'Same' }, count: 10 });
    const listA = await a.queryUsers({ plan: { kind: 'list' }, count: 1, cursor: '' });
    const listB = await b.queryUsers({ plan: { kind: 'list' }, count: 10 });
    const crossCursor = await b.queryUsers({ plan: { kind: 'list' }, count: 1, cursor: listA.nextCursor! }).catch((e: unknown) => e);
    const crossRead = await b.getUser(ua.id);
    const crossMember = await b.updateGroup(gb.id, { add: [{ value: ua.id }] }).catch((e: unknown) => e);
    await a.deleteUser(ua2.id);

    // Assess: b sees only its own, the counters are per tenant, a's cursor means nothing to b
    expect(byUserName.resources.map((r) => r.id)).toEqual([ub.id]);
    expect(byExternalId.resources.map((r) => r.id)).toEqual([ub.id]);
    expect(byEmail.resources.map((r) => r.id)).toEqual([ub.id]);
    expect(byDisplayName.resources.map((r) => r.id)).toEqual([gb.id]);
    expect(listA.totalResults).toBe(2);
    expect(listB.totalResults).toBe(1);
    expect(listB.resources.map((r) => r.id)).toEqual([ub.id]);
    expect(await a.countResources('User')).toBe(1);
    expect(await b.countResources('User')).toBe(1);
    expect(crossCursor).toBeInstanceOf(InvalidCursorError);
    expect(crossRead).toBeUndefined();
    expect(crossMember).toMatchObject({ name: 'InvalidMemberError' });
    expect((await b.groupsOfUser(ub.id)).map((g) => g.value)).toEqual([gb.id]);
    expect((await a.groupsOfUser(ua.id)).map((g) => g.value)).toEqual([ga.id]);
    expect((await b.listMembers(gb.id)).members.map((m) => m.value)).toEqual([ub.id]);
    const today = '2026-06-01';
    expect((await a.auditRecords(today)).map((r) => r.resourceId)).toEqual([ua2.id]);
    expect(await b.auditRecords(today)).toEqual([]);
    // And every item either store wrote sits under its prefix, index partitions included
    const items = (await table.doc.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    for (const item of items) {
      const owner = String(item.PK).slice(0, 2);
      expect(['a#', 'b#']).toContain(owner);
      for (const k of ['GSI1PK', 'GSI2PK']) if (item[k] !== undefined) expect(String(item[k]).startsWith(owner)).toBe(true);
    }
  });

  it('refuses a prefix that could overlap another tenant', () => {
    // Assess: one segment ending in '#', or nothing
    expect(() => new KeySpace('acme')).toThrow(TypeError);
    expect(() => new KeySpace('a#b#')).toThrow(TypeError);
    expect(new KeySpace('acme#').resource('User', 'x')).toEqual({ PK: 'acme#USER#x', SK: 'META' });
    expect(new KeySpace().resource('User', 'x')).toEqual({ PK: 'USER#x', SK: 'META' });
  });
});
