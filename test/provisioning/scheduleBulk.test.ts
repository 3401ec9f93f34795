import { describe, expect, it } from 'vitest';
import { scheduleBulk, type SchedulableOperation } from '../../lambdas/provisioning/scheduleBulk';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { concurrency: 4, remainingMs: () => 60_000, reserveMs: 0, initialEstimateMs: 0 };

describe('scheduleBulk', () => {
  it('runs independent operations concurrently, up to the bound', async () => {
    // Prepare
    const ops: SchedulableOperation[] = Array.from({ length: 12 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}` }));
    let inFlight = 0;
    let most = 0;
    // Act
    await scheduleBulk(ops, async () => {
      most = Math.max(most, ++inFlight);
      await sleep(20);
      inFlight--;
      return { ok: true, createdId: 'x' };
    }, options);
    // Assess
    expect(most).toBe(4);
  });

  it('runs an operation after the one creating the bulkId it references, with the id resolved', async () => {
    // Prepare: the reference comes first in the request (a forward reference).
    const ops: SchedulableOperation[] = [
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { members: [{ value: 'bulkId:u' }] } },
      { method: 'POST', path: '/Users', bulkId: 'u' },
    ];
    const seen: string[] = [];
    // Act
    await scheduleBulk(ops, async (op, _i, ids) => {
      seen.push(`${op.bulkId}:${[...ids.values()].join(',')}`);
      await sleep(5);
      return { ok: true, createdId: `id-${op.bulkId}` };
    }, options);
    // Assess
    expect(seen).toEqual(['u:', 'g:id-u']);
  });

  it('keeps request order for operations on the same resource', async () => {
    // Prepare: PATCH then DELETE of one user, the first slower.
    const ops: SchedulableOperation[] = [
      { method: 'PATCH', path: '/Users/abc', data: {} },
      { method: 'DELETE', path: '/Users/abc' },
      { method: 'PATCH', path: '/Groups/g1', data: { members: [{ value: 'abc' }] } },
    ];
    const order: number[] = [];
    // Act
    await scheduleBulk(ops, async (_op, i) => {
      await sleep(i === 0 ? 30 : 1);
      order.push(i);
      return { ok: true };
    }, options);
    // Assess: the DELETE and the group PATCH naming abc both wait for the first PATCH, in request order.
    expect(order).toEqual([0, 1, 2]);
  });

  it('starts nothing once the time left is below what an operation needs, reporting the rest as not started', async () => {
    // Prepare: 1 s left and operations measured at 400 ms: after the first, no room for 3 x 400 ms.
    let remaining = 1_000;
    const ops: SchedulableOperation[] = Array.from({ length: 5 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}` }));
    let t = 0;
    // Act
    const results = await scheduleBulk(ops, async () => {
      t += 400;
      remaining -= 400;
      return { ok: true, createdId: 'x' };
    }, { ...options, remainingMs: () => remaining, now: () => t });
    // Assess
    expect(results[0]).toEqual({ ok: true, createdId: 'x' });
    expect(results.slice(1)).toEqual(Array(4).fill({ reason: 'deadline' }));
  });

  it('fails a reference to a bulkId whose creator failed, and stops after failOnErrors', async () => {
    const ops: SchedulableOperation[] = [
      { method: 'POST', path: '/Users', bulkId: 'a' },
      { method: 'PATCH', path: '/Users/bulkId:a', data: {} },
      { method: 'POST', path: '/Users', bulkId: 'b' },
    ];
    const results = await scheduleBulk(ops, async (op) => ({ ok: op.bulkId !== 'a' }), { ...options, failOnErrors: 2 });
    expect(results[0]).toEqual({ ok: false });
    expect(results[1]).toEqual({ reason: 'unresolved', bulkIds: ['a'] });
    expect(results[2]).toEqual({ reason: 'stopped' });
  });
});
