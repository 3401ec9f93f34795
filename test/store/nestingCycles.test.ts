import { describe, it, expect, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CycleError } from '../../lambdas/store/errors';
import type { ScimStore } from '../../lambdas/store/ScimStore';
import { createStoreHarness, groupData, type StoreHarness } from './harness';

const TRIALS = 12;

/** True when the nesting among `ids` (read from the base table) holds a cycle. */
async function hasCycle(store: ScimStore, ids: readonly string[]): Promise<boolean> {
  const children = new Map<string, string[]>();
  for (const id of ids) {
    const { members } = await store.listMembers(id);
    children.set(id, members.filter((m) => m.type === 'Group').map((m) => m.value));
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'open') return true;
    if (state.get(id) === 'done') return false;
    state.set(id, 'open');
    const cyclic = (children.get(id) ?? []).some(visit);
    state.set(id, 'done');
    return cyclic;
  };
  return ids.some(visit);
}

/** Settles the writes and returns how many succeeded; anything but a CycleError (or a retry-exhausted conflict) fails the test. */
async function successes(writes: Promise<unknown>[]): Promise<number> {
  const results = await Promise.allSettled(writes);
  for (const r of results) {
    if (r.status === 'rejected' && !(r.reason instanceof CycleError)) throw r.reason;
  }
  return results.filter((r) => r.status === 'fulfilled').length;
}

describe('nested-group cycle check under concurrency', () => {
  let h: StoreHarness;
  const groups = async (n: number) => Promise.all(Array.from({ length: n }, () => h.store.createGroup(groupData(`g-${randomUUID()}`))));

  beforeAll(async () => {
    h = await createStoreHarness();
  });

  it('never lets two mirrored PATCHes (A into B, B into A) both commit', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      // Prepare
      const [a, b] = await groups(2);
      // Act
      const ok = await successes([
        h.store.updateGroup(a.id, { add: [{ value: b.id, type: 'Group' }] }),
        h.store.updateGroup(b.id, { add: [{ value: a.id, type: 'Group' }] }),
      ]);
      // Assess
      expect(ok, `trial ${trial}`).toBe(1);
      expect(await hasCycle(h.store, [a.id, b.id]), `trial ${trial}`).toBe(false);
    }
  });

  it('never lets three PATCHes closing a 3-cycle (A into B, B into C, C into A) all commit', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      // Prepare
      const [a, b, c] = await groups(3);
      // Act
      const ok = await successes([
        h.store.updateGroup(b.id, { add: [{ value: a.id, type: 'Group' }] }),
        h.store.updateGroup(c.id, { add: [{ value: b.id, type: 'Group' }] }),
        h.store.updateGroup(a.id, { add: [{ value: c.id, type: 'Group' }] }),
      ]);
      // Assess
      expect(ok, `trial ${trial}`).toBe(2);
      expect(await hasCycle(h.store, [a.id, b.id, c.id]), `trial ${trial}`).toBe(false);
    }
  });

  it('never lets two mirrored PUTs replacing the members commit a cycle', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      // Prepare
      const [a, b] = await groups(2);
      // Act
      const ok = await successes([
        h.store.replaceGroup(a.id, a.data, [{ value: b.id, type: 'Group' }]),
        h.store.replaceGroup(b.id, b.data, [{ value: a.id, type: 'Group' }]),
      ]);
      // Assess
      expect(ok, `trial ${trial}`).toBe(1);
      expect(await hasCycle(h.store, [a.id, b.id]), `trial ${trial}`).toBe(false);
    }
  });

  it('still lets unrelated nesting changes commit side by side', async () => {
    // Prepare
    const [a, b, c, d] = await groups(4);
    // Act
    const ok = await successes([
      h.store.updateGroup(a.id, { add: [{ value: b.id, type: 'Group' }] }),
      h.store.updateGroup(c.id, { add: [{ value: d.id, type: 'Group' }] }),
    ]);
    // Assess
    expect(ok).toBe(2);
  });
});
