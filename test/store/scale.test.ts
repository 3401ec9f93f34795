import { describe, expect, it } from 'vitest';
import { createStoreHarness, type StoreHarness } from './harness';
import type { MemberRef } from '../../lambdas/store/items';
import { seedUserItems } from '../support/seedUserItems';

/**
 * The 100,000-member group of issue 6. Slow on DynamoDB Local, so opt in with SCIM_SCALE_TESTS=1
 * (SCIM_SCALE_MEMBERS picks the size, default 100000); the benchmark runs the same scenario.
 */
const MEMBERS = Number(process.env.SCIM_SCALE_MEMBERS ?? 100_000);
const BATCH = 1000;

async function seedUsers(h: StoreHarness, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `u-${String(i).padStart(7, '0')}`);
  await seedUserItems(h.table.doc, h.table.tableName, ids);
  return ids;
}

const asUsers = (ids: string[]): MemberRef[] => ids.map((value) => ({ value, type: 'User' }));

describe.skipIf(!process.env.SCIM_SCALE_TESTS)(`ScimStore with a ${MEMBERS}-member group`, () => {
  it('builds it by successive PATCHes at a flat cost per added member, reads it in one request, and deletes it without leftovers', { timeout: 3_600_000 }, async () => {
    // Prepare
    const h = await createStoreHarness();
    const ids = await seedUsers(h, MEMBERS + 2 * BATCH);
    const small = await h.store.createGroup({ displayName: 'small' });
    const big = await h.store.createGroup({ displayName: 'big' });
    for (let i = 0; i < MEMBERS; i += BATCH) await h.store.updateGroup(big.id, { add: asUsers(ids.slice(i, i + BATCH)) });
    // Act
    h.counter.reset();
    await h.store.updateGroup(small.id, { add: asUsers(ids.slice(MEMBERS, MEMBERS + BATCH)) });
    const costAtZero = { ...h.counter.counts };
    h.counter.reset();
    await h.store.updateGroup(big.id, { add: asUsers(ids.slice(MEMBERS + BATCH, MEMBERS + 2 * BATCH)) });
    const costAtFull = { ...h.counter.counts };
    h.counter.reset();
    const read = await h.store.getGroup(big.id);
    const readCost = h.counter.counts.requests;
    h.counter.reset();
    const firstPage = await h.store.listMembers(big.id, { limit: 100 });
    const pageCost = h.counter.counts.requests;
    const deleted = await h.store.deleteGroup(big.id, { cleanupBudget: MEMBERS * 2 });
    // Assess
    expect(costAtFull.itemWrites).toBe(costAtZero.itemWrites);
    expect(costAtFull.requests).toBe(costAtZero.requests);
    expect(costAtFull.readUnits).toBe(costAtZero.readUnits);
    expect(read?.memberCount).toBe(MEMBERS + BATCH);
    expect(readCost).toBe(1);
    expect(firstPage.members).toHaveLength(100);
    expect(pageCost).toBe(1);
    expect(deleted.complete).toBe(true);
    expect(await h.partition(`GROUP#${big.id}`)).toEqual([]);
    expect(await h.store.groupsOfUser(ids[0])).toEqual([]);
  });
});
