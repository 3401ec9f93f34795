import { describe, it, expect } from 'vitest';
import { startTestServer } from '../support/localStack';
import { attachRequestCounter } from '../../lambdas/store';
import { compareSortValues } from '../../lambdas/scim/compareSortValues';
import { indexedUserData, seedIndexedUsers, SEED_EPOCH } from '../support/seedIndexedUsers';

/** Users in the tenant (SCIM_SCALE_USERS, default 100,000). */
const USERS = Number(process.env.SCIM_SCALE_USERS ?? 100_000);
const q = (s: string) => encodeURIComponent(s);

/**
 * Issue 11's queries on a 100,000-user tenant over HTTP: what /ServiceProviderConfig and the
 * README say scales is served, in the right order, with the right totalResults, at a flat number
 * of DynamoDB requests a page. Minutes on DynamoDB Local, so opt in with SCIM_SCALE_TESTS=1.
 */
describe(`sorted and range queries on ${USERS} users over HTTP`, () => {
  it.runIf(process.env.SCIM_SCALE_TESTS === '1')('are served from the sorted indexes at a flat cost per page', { timeout: 3_600_000 }, async () => {
    // Prepare
    const server = await startTestServer();
    const counter = attachRequestCounter(server.doc);
    try {
      for (let i = 0; i < USERS; i += 10_000) await seedIndexedUsers(server.doc, server.tableName, i, Math.min(10_000, USERS - i));
      const all = Array.from({ length: USERS }, (_, i) => indexedUserData(i));
      const by = (key: (u: Record<string, unknown>) => unknown, order: 'ascending' | 'descending') =>
        all.map((u) => ({ u, k: key(u) })).sort((a, b) => compareSortValues(a.k, b.k, order)).map((x) => x.u.userName as string);
      const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
      const names = (r: { body: { Resources: { userName: string }[] } }) => r.body.Resources.map((u) => u.userName);
      const page = async (path: string) => {
        counter.reset();
        const r = await server.request('GET', path);
        expect(r.status).toBe(200);
        return { r, requests: counter.counts.requests, scans: counter.counts.scans };
      };

      // Act & Assess: sortBy=userName, both orders, by cursor and by startIndex
      const asc = by((u) => lower(u.userName), 'ascending');
      const first = await page('/Users?sortBy=userName&count=100&cursor=');
      const second = await page(`/Users?sortBy=userName&count=100&cursor=${q(first.r.body.nextCursor)}`);
      const byIndex1 = await page('/Users?sortBy=userName&count=100&startIndex=1');
      const byIndex2 = await page('/Users?sortBy=userName&count=100&startIndex=101');
      const desc = await page('/Users?sortBy=userName&sortOrder=descending&count=100');
      expect(names(first.r)).toEqual(asc.slice(0, 100));
      expect(names(second.r)).toEqual(asc.slice(100, 200));
      expect(names(byIndex2.r)).toEqual(asc.slice(100, 200));
      expect(names(byIndex1.r)).toEqual(asc.slice(0, 100));
      expect(names(desc.r)).toEqual(by((u) => lower(u.userName), 'descending').slice(0, 100));
      expect(first.r.body.totalResults).toBe(USERS);
      for (const p of [first, second, byIndex1, byIndex2, desc]) {
        // Query of keys + BatchGet + counter Query (+ the page-cursor Get/Put of startIndex paging).
        expect(p.requests).toBeLessThanOrEqual(5);
        expect(p.scans).toBe(0);
      }

      // displayName: users without one last ascending, first descending
      const dnDesc = await page('/Users?sortBy=displayName&sortOrder=descending&count=100&attributes=displayName,userName');
      expect(dnDesc.r.body.Resources.every((u: { displayName?: string }) => u.displayName === undefined)).toBe(true);
      const dnAsc = await page('/Users?sortBy=displayName&count=100&attributes=displayName,userName');
      expect(names(dnAsc.r)).toEqual(by((u) => lower(u.displayName), 'ascending').slice(0, 100));

      // meta.lastModified delta and created order
      const lastK = 150;
      const T = new Date(SEED_EPOCH + (USERS - lastK) * 1000).toISOString();
      const delta = await page(`/Users?filter=${q(`meta.lastModified gt "${T}"`)}&count=100&cursor=`);
      const deltaNext = await page(`/Users?filter=${q(`meta.lastModified gt "${T}"`)}&count=100&cursor=${q(delta.r.body.nextCursor)}`);
      expect(delta.r.body.totalResults).toBe(lastK - 1);
      expect([...names(delta.r), ...names(deltaNext.r)].sort()).toEqual(all.slice(USERS - lastK + 1).map((u) => u.userName as string).sort());
      expect(deltaNext.requests).toBeLessThanOrEqual(2);
      const newest = await page('/Users?sortBy=meta.created&sortOrder=descending&count=10');
      expect(names(newest.r)).toEqual(all.slice(USERS - 10).reverse().map((u) => u.userName as string));

      // userName sw, exact totalResults; with a further condition over a small range
      const prefix = (all[1].userName as string).slice(0, 2).toLowerCase();
      const sw = await page(`/Users?filter=${q(`userName sw "${prefix.toUpperCase()}"`)}&count=50`);
      expect(sw.r.body.totalResults).toBe(all.filter((u) => (u.userName as string).toLowerCase().startsWith(prefix)).length);
      expect(names(sw.r).every((n) => n.toLowerCase().startsWith(prefix))).toBe(true);
      const active = await page(`/Users?filter=${q(`meta.lastModified gt "${T}" and active eq true`)}&count=200`);
      expect(active.r.body.totalResults).toBe(all.slice(USERS - lastK + 1).filter((u) => u.active).length);

      // A further condition over a range far past the bound (2,000): streamed, at a flat cost per page
      const recentK = 10_000;
      const T2 = new Date(SEED_EPOCH + (USERS - recentK) * 1000).toISOString();
      const managers = all.slice(USERS - recentK + 1).filter((u) => u.title === 'Manager').map((u) => u.userName as string);
      const streamed: string[] = [];
      let cursor = '';
      let last: Awaited<ReturnType<typeof page>> | undefined;
      let pages = 0;
      for (; pages < 200; pages++) {
        last = await page(`/Users?filter=${q(`meta.lastModified gt "${T2}" and title eq "Manager"`)}&count=100&cursor=${q(cursor)}`);
        streamed.push(...names(last.r));
        // One keys Query of ~200 entries, their BatchGets, and the range COUNT on the first page.
        if (pages > 0) expect(last.requests).toBeLessThanOrEqual(4);
        if (!last.r.body.nextCursor) break;
        cursor = last.r.body.nextCursor;
      }
      expect(streamed).toEqual(managers);
      expect(last!.r.body.totalResults).toBe(managers.length);
      const byIndex = await page(`/Users?filter=${q(`meta.lastModified gt "${T2}" and title eq "Manager"`)}&count=100&startIndex=1`);
      const byIndexNext = await page(`/Users?filter=${q(`meta.lastModified gt "${T2}" and title eq "Manager"`)}&count=100&startIndex=101`);
      expect([...names(byIndex.r), ...names(byIndexNext.r)]).toEqual(managers.slice(0, 200));
      expect(byIndexNext.requests).toBeLessThanOrEqual(6);

      // What has no index still says so, naming the attribute
      const unindexed = await server.request('GET', `/Users?filter=${q('title eq "Engineer"')}`);
      expect(unindexed.status).toBe(400);
      expect(unindexed.body.detail).toMatch(/^The filter on title has no index/);
    } finally {
      counter.detach();
      await server.close();
    }
  });
});
