import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreHarness, userData, type StoreHarness } from './harness';
import { InvalidCursorError, TooManyResultsError } from '../../lambdas/store/errors';

let h: StoreHarness;
let clock = Date.parse('2026-01-01T00:00:00Z');

async function seedUsers(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) => h.store.createUser(userData(`user${String(i + j).padStart(4, '0')}`, { n: i + j }))),
    );
    ids.push(...batch.map((u) => u.id));
  }
  return ids;
}

beforeEach(async () => {
  h = await createStoreHarness({ now: () => new Date((clock += 1000)), maxScanItems: 50 });
});

describe('ScimStore listing and paging', () => {
  it('lists all users in creation order with totalResults from the counter', async () => {
    // Prepare
    const ids = await seedUsers(25);
    h.counter.reset();
    // Act
    const page = await h.store.queryUsers({ plan: { kind: 'list' }, count: 10 });
    // Assess
    expect(page.totalResults).toBe(25);
    expect(page.resources.map((r) => r.id)).toEqual(ids.slice(0, 10));
    expect(h.counter.counts.scans).toBe(0);
  });

  it('answers count=0 with totalResults only, in one request', async () => {
    await seedUsers(3);
    h.counter.reset();
    const page = await h.store.queryUsers({ plan: { kind: 'list' }, count: 0 });
    expect(page).toEqual({ resources: [], totalResults: 3 });
    expect(h.counter.counts.requests).toBe(1);
  });

  it('costs the same for every sequential startIndex page, not more for later pages', async () => {
    // Prepare
    const ids = await seedUsers(120);
    const seen: string[] = [];
    const costs: { requests: number; readUnits: number }[] = [];
    // Act
    for (let start = 1; start <= 120; start += 20) {
      h.counter.reset();
      const page = await h.store.queryUsers({ plan: { kind: 'list' }, startIndex: start, count: 20, fingerprint: 'none' });
      costs.push({ requests: h.counter.counts.requests, readUnits: h.counter.counts.readUnits });
      seen.push(...page.resources.map((r) => r.id));
    }
    // Assess
    expect(seen).toEqual(ids);
    if (process.env.SHOW_COSTS) console.log(JSON.stringify(costs));
    expect(costs[1].readUnits).toBeGreaterThan(0);
    const later = costs.slice(1, -1);
    for (const c of later) {
      expect(c.requests).toBeLessThanOrEqual(4);
      expect(c.readUnits).toBeLessThanOrEqual(costs[1].readUnits + 0.5);
    }
    expect(costs[4].readUnits).toBeLessThanOrEqual(costs[1].readUnits + 0.5);
  });

  it('serves a random-access startIndex without a saved page cursor correctly', async () => {
    const ids = await seedUsers(30);
    const page = await h.store.queryUsers({ plan: { kind: 'list' }, startIndex: 17, count: 5 });
    expect(page.resources.map((r) => r.id)).toEqual(ids.slice(16, 21));
  });

  it('walks every user exactly once with RFC 9865 cursors', async () => {
    // Prepare
    const ids = await seedUsers(45);
    const seen: string[] = [];
    // Act
    let cursor: string | undefined = '';
    let pages = 0;
    while (cursor !== undefined) {
      const page = await h.store.queryUsers({ plan: { kind: 'list' }, count: 10, cursor });
      seen.push(...page.resources.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    }
    // Assess
    expect(seen).toEqual(ids);
    expect(pages).toBe(5);
  });

  it('rejects a garbage cursor and a cursor of another query with InvalidCursorError', async () => {
    // Prepare
    await seedUsers(15);
    const first = await h.store.queryUsers({ plan: { kind: 'list' }, count: 5, cursor: '', fingerprint: 'a' });
    // Act / Assess
    await expect(h.store.queryUsers({ plan: { kind: 'list' }, count: 5, cursor: 'not*a*cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(h.store.queryUsers({ plan: { kind: 'list' }, count: 5, cursor: 'eyJmb28iOjF9' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(h.store.queryUsers({ plan: { kind: 'list' }, count: 5, cursor: first.nextCursor, fingerprint: 'b' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(h.store.queryGroups({ plan: { kind: 'list' }, count: 5, cursor: first.nextCursor, fingerprint: 'a' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('evaluates a filter without a key plan over a bounded listing, sorted and paged', async () => {
    // Prepare
    await seedUsers(30);
    // Act
    const page = await h.store.queryUsers({
      plan: { kind: 'list' },
      predicate: (r) => Number(r.data.n) % 3 === 0,
      sortBy: (r) => r.data.n,
      sortOrder: 'descending',
      startIndex: 2,
      count: 3,
    });
    // Assess
    expect(page.totalResults).toBe(10);
    expect(page.resources.map((r) => r.data.n)).toEqual([24, 21, 18]);
  });

  it('pages a filtered result with cursors', async () => {
    await seedUsers(30);
    const seen: unknown[] = [];
    let cursor: string | undefined = '';
    while (cursor !== undefined) {
      const page = await h.store.queryUsers({ plan: { kind: 'list' }, predicate: (r) => Number(r.data.n) < 7, count: 3, cursor, fingerprint: 'n<7' });
      seen.push(...page.resources.map((r) => r.data.n));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('answers TooManyResultsError instead of examining more than maxScanItems resources', async () => {
    await seedUsers(60);
    await expect(h.store.queryUsers({ plan: { kind: 'list' }, predicate: () => true, count: 10 })).rejects.toBeInstanceOf(TooManyResultsError);
  });

  it('hides deleted users from listings and counts', async () => {
    const ids = await seedUsers(5);
    await h.store.deleteUser(ids[2]);
    const page = await h.store.queryUsers({ plan: { kind: 'list' }, count: 10 });
    expect(page.totalResults).toBe(4);
    expect(page.resources.map((r) => r.id)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
  });
});
