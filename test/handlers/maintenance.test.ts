import { describe, it, expect } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ScimStore } from '../../lambdas/store';
import { createMaintenanceHandler } from '../../lambdas/handlers/maintenance';
import { createTestTable } from '../support/dynamo';

describe('maintenance handler', () => {
  it('finishes a group deletion whose membership cleanup was deferred', async () => {
    // Prepare: a group whose delete leaves membership items behind (tiny inline budget)
    const t = await createTestTable('maint');
    const store = new ScimStore({ doc: t.doc, tableName: t.tableName });
    const users = await Promise.all(Array.from({ length: 30 }, (_, i) => store.createUser({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `m${i}@example.com` })));
    const group = await store.createGroup({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Big' }, users.map((u) => ({ value: u.id, type: 'User' as const })));
    const deleted = await store.deleteGroup(group.id, { cleanupBudget: 5 });
    expect(deleted.complete).toBe(false);
    const remainingBefore = await t.doc.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `GROUP#${group.id}` } }));
    expect(remainingBefore.Count).toBeGreaterThan(0);

    // Act: the scheduled run
    const result = await createMaintenanceHandler(store)();

    // Assess: nothing pending, no item of the group left, no user sees it
    expect(result.pending).toBe(0);
    const remainingAfter = await t.doc.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `GROUP#${group.id}` } }));
    expect(remainingAfter.Count).toBe(0);
    expect(await store.groupsOfUser(users[0].id)).toEqual([]);
  });

  it('costs nothing but two queries when no deletion or rollback is pending', async () => {
    const t = await createTestTable('maint');
    const store = new ScimStore({ doc: t.doc, tableName: t.tableName });
    expect(await createMaintenanceHandler(store)()).toEqual({ pending: 0, rollbacksRecovered: 0, rollbacksOpen: 0 });
  });
});
