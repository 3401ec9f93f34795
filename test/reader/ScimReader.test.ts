import { describe, expect, it } from 'vitest';
import { createScimReader } from '../../lambdas/reader';
import { ScimStore } from '../../lambdas/store';
import { createTestTable } from '../support/dynamo';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe('createScimReader', () => {
  it('reads what the store wrote: by id, userName and externalId, without the password hash', async () => {
    // Prepare
    const table = await createTestTable('reader');
    const store = new ScimStore({ doc: table.doc, tableName: table.tableName });
    const alice = await store.createUser({ schemas: [USER], userName: 'Alice@Example.com', externalId: 'e-1', password: '$scrypt$x' });
    await store.createUser({ schemas: [USER], userName: 'alice2@example.com', externalId: 'e-1' });
    const reader = createScimReader({ doc: table.doc, tableName: table.tableName });
    // Act
    const byId = await reader.getUser(alice.id);
    const byName = await reader.getUserByUserName('alice@EXAMPLE.com');
    const byExternal = await reader.getUsersByExternalId('e-1');
    // Assess
    expect(byId).toMatchObject({ id: alice.id, version: 1, attributes: { userName: 'Alice@Example.com' } });
    expect(byId?.attributes).not.toHaveProperty('password');
    expect(byName?.id).toBe(alice.id);
    expect(byExternal.map((u) => u.attributes.userName).sort()).toEqual(['Alice@Example.com', 'alice2@example.com']);
    expect(await reader.getUser('nobody')).toBeUndefined();
  });

  it('pages users with a cursor, lists members, and finds direct and transitive groups', async () => {
    // Prepare
    const table = await createTestTable('reader');
    const store = new ScimStore({ doc: table.doc, tableName: table.tableName });
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await store.createUser({ schemas: [USER], userName: `u${i}@example.com` }));
    const team = await store.createGroup({ schemas: [GROUP], displayName: 'Team' }, users.slice(0, 3).map((u) => ({ value: u.id, type: 'User' as const })));
    const org = await store.createGroup({ schemas: [GROUP], displayName: 'Org' }, [{ value: team.id, type: 'Group' }]);
    const reader = createScimReader({ doc: table.doc, tableName: table.tableName });
    // Act
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reader.listUsers({ cursor, limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((u) => u.id));
      cursor = page.cursor;
    } while (cursor);
    const members = await reader.membersOfGroup(team.id);
    const groups = await reader.groupsOfUser(users[0].id);
    // Assess
    expect(ids.sort()).toEqual(users.map((u) => u.id).sort());
    expect(members.items.map((m) => m.value).sort()).toEqual(users.slice(0, 3).map((u) => u.id).sort());
    expect(groups).toEqual(expect.arrayContaining([expect.objectContaining({ value: team.id, type: 'direct' }), expect.objectContaining({ value: org.id, type: 'indirect' })]));
    expect(await reader.groupsOfUser(users[0].id, { transitive: false })).toEqual([expect.objectContaining({ value: team.id, type: 'direct' })]);
    expect((await reader.listGroups()).items.map((g) => g.attributes.displayName).sort()).toEqual(['Org', 'Team']);
  });
});
