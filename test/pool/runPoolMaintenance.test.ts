import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ScimStore } from '../../lambdas/store';
import { POOL_KEYS } from '../../lambdas/store/keys';
import { PoolDirectory } from '../../lambdas/store/PoolDirectory';
import { runPoolMaintenance } from '../../lambdas/pool/runPoolMaintenance';
import { createTestTable } from '../support/dynamo';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

async function poolWithDeferredDeletes(tenants: string[], members = 30) {
  const t = await createTestTable('poolmaint');
  const directory = new PoolDirectory({ doc: t.doc, tableName: t.tableName });
  const storeFor = (tenant: string) => new ScimStore({ doc: t.doc, tableName: t.tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant) });
  for (const tenant of tenants) {
    await directory.createTenant(tenant, {});
    const store = storeFor(tenant);
    const users = await Promise.all(Array.from({ length: members }, (_, i) => store.createUser({ schemas: [USER], userName: `u${i}@${tenant}.example` })));
    const group = await store.createGroup({ schemas: [GROUP], displayName: 'all' }, users.map((u) => ({ value: u.id, type: 'User' as const })));
    // A delete whose membership cleanup is deferred past its budget, as for a group of 100,000.
    expect((await store.deleteGroup(group.id, { cleanupBudget: 5 })).complete).toBe(false);
  }
  return { directory, storeFor };
}

describe('runPoolMaintenance', () => {
  it('finishes the deferred deletions of every tenant of the pool from one run, disabled tenants included', async () => {
    // Prepare
    const names = [`a-${randomUUID().slice(0, 6)}`, `b-${randomUUID().slice(0, 6)}`, `c-${randomUUID().slice(0, 6)}`];
    const { directory, storeFor } = await poolWithDeferredDeletes(names);
    await directory.updateTenant(names[1], { status: 'disabled' });
    // Act: a run with almost no cleanup budget, then one with enough
    const starved = await runPoolMaintenance({ directory, storeFor, budget: 3, timeBudgetMs: 60_000 });
    const result = await runPoolMaintenance({ directory, storeFor, budget: 10_000, timeBudgetMs: 60_000 });
    // Assess: the first left each tenant's deletion pending, the second finished all three
    expect(starved).toEqual({ tenants: 3, pending: 3 });
    expect(result).toEqual({ tenants: 3, pending: 0 });
  });

  it('stops at its time budget, says where, and the next run started there reaches the tenants after it', async () => {
    // Prepare: a clock that runs out after the first slice of tenants
    const names = Array.from({ length: 3 }, (_, i) => `t${i}-${randomUUID().slice(0, 6)}`).sort();
    const { directory, storeFor } = await poolWithDeferredDeletes(names, 12);
    let calls = 0;
    const now = () => (calls++ < 2 ? 0 : 1_000_000);
    // Act
    const first = await runPoolMaintenance({ directory, storeFor, budget: 10_000, timeBudgetMs: 1_000, concurrency: 1, now });
    const second = await runPoolMaintenance({ directory, storeFor, budget: 10_000, timeBudgetMs: 60_000, concurrency: 1, startAfter: first.resumeAfter });
    // Assess
    expect(first.tenants).toBe(1);
    expect(first.resumeAfter).toBe(names[0]);
    expect(second).toEqual({ tenants: 2, pending: 0 });
    for (const tenant of names) expect(await storeFor(tenant).continueCleanup()).toBe(0);
  });

  it('skips a tenant being deleted (its deletion removes everything)', async () => {
    const names = [`d-${randomUUID().slice(0, 6)}`];
    const { directory, storeFor } = await poolWithDeferredDeletes(names, 8);
    await directory.updateTenant(names[0], { status: 'deleting' });
    const result = await runPoolMaintenance({ directory, storeFor, budget: 10_000, timeBudgetMs: 60_000 });
    expect(result.tenants).toBe(0);
  });
});

describe('PoolDirectory.listTenants', () => {
  it('pages through every tenant in name order without a Scan', async () => {
    const t = await createTestTable('poollist');
    const directory = new PoolDirectory({ doc: t.doc, tableName: t.tableName });
    const names = Array.from({ length: 7 }, (_, i) => `n${i}-${randomUUID().slice(0, 4)}`);
    for (const n of names) await directory.createTenant(n, {});
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await directory.listTenants({ limit: 3, cursor });
      seen.push(...page.tenants.map((x) => x.tenant));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort());
  });
});
