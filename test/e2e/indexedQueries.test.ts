import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const q = (s: string) => encodeURIComponent(s);

// Mixed case, a shared prefix, missing displayNames: RFC 7644 §3.4.2.3 orders them case-insensitively,
// resources without a value last ascending and first descending.
const USERS: { userName: string; displayName?: string }[] = [
  { userName: 'alice', displayName: 'Zed' },
  { userName: 'Bob', displayName: 'anna' },
  { userName: 'ALBERT' },
  { userName: 'carol', displayName: 'Bea' },
  { userName: 'alfred', displayName: 'Al' },
  { userName: 'dave' },
  { userName: 'Alma', displayName: 'al' },
];
const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

/**
 * Queries served by the sorted indexes, on a tenant whose bound on unindexed work (maxScanItems)
 * is smaller than the tenant: every answer here would be 400 tooMany if it were not indexed.
 */
describe('indexed sorting and range filters beyond the bound', () => {
  let server: TestServer;
  let T: string;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    server = await startTestServer({ maxScanItems: 3 });
    for (const u of USERS) {
      const r = await server.request('POST', '/Users', { schemas: [CORE], ...u, title: 'T' });
      expect(r.status).toBe(201);
      ids.set(u.userName, r.body.id);
    }
    await new Promise((r) => setTimeout(r, 20));
    T = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    for (const name of ['carol', 'ALBERT']) {
      await server.request('PATCH', `/Users/${ids.get(name)}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: name === 'carol' }] });
    }
    for (const name of ['Sales', 'support', 'Eng']) await server.request('POST', '/Groups', { schemas: [GROUP], displayName: name });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function all(path: string, mode: 'index' | 'cursor', pageSize = 2): Promise<{ names: string[]; totals: number[] }> {
    const names: string[] = [];
    const totals: number[] = [];
    const sep = path.includes('?') ? '&' : '?';
    if (mode === 'index') {
      for (let start = 1; start <= 20; start += pageSize) {
        const r = await server.request('GET', `${path}${sep}startIndex=${start}&count=${pageSize}`);
        expect(r.status).toBe(200);
        totals.push(r.body.totalResults);
        names.push(...r.body.Resources.map((x: { userName?: string; displayName: string }) => x.userName ?? x.displayName));
        if (start + pageSize > r.body.totalResults) break;
      }
    } else {
      let cursor = '';
      for (let i = 0; i < 20; i++) {
        const r = await server.request('GET', `${path}${sep}cursor=${encodeURIComponent(cursor)}&count=${pageSize}`);
        expect(r.status).toBe(200);
        totals.push(r.body.totalResults);
        names.push(...r.body.Resources.map((x: { userName?: string; displayName: string }) => x.userName ?? x.displayName));
        if (!r.body.nextCursor) break;
        cursor = r.body.nextCursor;
      }
    }
    return { names, totals };
  }

  const userNames = USERS.map((u) => u.userName);
  const withDisplay = USERS.filter((u) => u.displayName).sort((a, b) => byName(a.displayName!, b.displayName!) || byName(a.userName, b.userName));
  const withoutDisplay = USERS.filter((u) => !u.displayName).map((u) => u.userName);

  it.each(['index', 'cursor'] as const)('sorts by userName both ways, paging by %s', async (mode) => {
    const asc = await all('/Users?sortBy=userName', mode);
    const desc = await all('/Users?sortBy=userName&sortOrder=descending', mode);
    expect(asc.names).toEqual([...userNames].sort(byName));
    expect(desc.names).toEqual([...userNames].sort(byName).reverse());
    expect(new Set([...asc.totals, ...desc.totals])).toEqual(new Set([USERS.length]));
  });

  it.each(['index', 'cursor'] as const)('sorts by displayName with the users lacking one last ascending and first descending, paging by %s', async (mode) => {
    const asc = await all('/Users?sortBy=displayName', mode, 3);
    const desc = await all('/Users?sortBy=displayName&sortOrder=descending', mode, 3);
    // 'al' and 'Al' tie case-insensitively: compare them as a set.
    expect(asc.names.slice(0, 2).sort()).toEqual(['Alma', 'alfred']);
    expect(asc.names.slice(2, 5)).toEqual(withDisplay.slice(2).map((u) => u.userName));
    expect(asc.names.slice(5).sort()).toEqual(withoutDisplay.sort());
    expect(desc.names.slice(0, 2).sort()).toEqual(withoutDisplay.sort());
    expect(desc.names.slice(2, 5)).toEqual(withDisplay.slice(2).map((u) => u.userName).reverse());
  });

  it('sorts by meta.created and meta.lastModified', async () => {
    const created = await all('/Users?sortBy=meta.created', 'cursor', 3);
    const createdDesc = await all('/Users?sortBy=meta.created&sortOrder=descending', 'index', 3);
    const modified = await all('/Users?sortBy=meta.lastModified&sortOrder=descending', 'cursor', 3);
    expect(created.names).toEqual(userNames);
    expect(createdDesc.names).toEqual([...userNames].reverse());
    expect(modified.names.slice(0, 2)).toEqual(['ALBERT', 'carol']);
  });

  it.each([
    ['userName sw "al"', ['alice', 'ALBERT', 'alfred', 'Alma']],
    ['userName sw "AL"', ['alice', 'ALBERT', 'alfred', 'Alma']],
    ['userName sw "alf"', ['alfred']],
    ['userName sw "zz"', []],
    ['displayName sw "a"', ['Bob', 'alfred', 'Alma']],
    ['displayName eq "AL"', ['alfred', 'Alma']],
  ])('serves %s from the name index, with totalResults', async (filter, expected) => {
    const viaIndex = await all(`/Users?filter=${q(filter)}`, 'index');
    const viaCursor = await all(`/Users?filter=${q(filter)}`, 'cursor');
    expect(viaIndex.names.sort()).toEqual([...expected].sort());
    expect(viaCursor.names.sort()).toEqual([...expected].sort());
    expect(new Set([...viaIndex.totals, ...viaCursor.totals])).toEqual(new Set([expected.length]));
  });

  it('extracts the delta with meta.lastModified gt, ge, lt and le', async () => {
    const gt = await all(`/Users?filter=${q(`meta.lastModified gt "${T}"`)}`, 'cursor');
    const le = await all(`/Users?filter=${q(`meta.lastModified le "${T}"`)}&sortBy=meta.lastModified`, 'index');
    const between = await all(`/Users?filter=${q(`meta.lastModified ge "${T}" and meta.lastModified lt "2999-01-01T00:00:00Z"`)}`, 'index');
    expect(gt.names.sort()).toEqual(['ALBERT', 'carol']);
    expect(gt.totals[0]).toBe(2);
    expect(le.names.sort()).toEqual(userNames.filter((n) => n !== 'ALBERT' && n !== 'carol').sort());
    expect(between.names.sort()).toEqual(['ALBERT', 'carol']);
  });

  it('applies any further condition to the range when the range is within the bound', async () => {
    const r = await server.request('GET', `/Users?filter=${q(`meta.lastModified gt "${T}" and active eq false`)}`);
    expect(r.status).toBe(200);
    expect(r.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['ALBERT']);
    expect(r.body.totalResults).toBe(1);
    const sorted = await server.request('GET', `/Users?filter=${q(`meta.lastModified gt "${T}"`)}&sortBy=userName&sortOrder=descending`);
    expect(sorted.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['carol', 'ALBERT']);
  });

  it.each(['index', 'cursor'] as const)('applies a further condition to a range past the bound as the range streams, paging by %s', async (mode) => {
    // 4 users start with "al" (more than the bound of 3); 3 of them have a displayName.
    const r = await all(`/Users?filter=${q('userName sw "al" and displayName pr')}`, mode);
    expect(r.names.sort()).toEqual(['Alma', 'alfred', 'alice']);
    // Until the range's end is reached the total is the range's size (an upper bound), then exact.
    expect(r.totals.at(-1)).toBe(3);
    expect(r.totals.every((t) => t >= 3 && t <= 4)).toBe(true);
    const desc = await all(`/Users?filter=${q('userName sw "al" and displayName pr')}&sortBy=userName&sortOrder=descending`, mode);
    expect(desc.names).toEqual(['Alma', 'alice', 'alfred']);
  });

  it('cuts a filtered page short after twice the bound of index entries, and carries on from there', async () => {
    // Every user is in the range; only Alma, created last, matches. The bound is 3: 6 entries a request.
    const filter = q('meta.created ge "2000-01-01T00:00:00Z" and userName ew "ma"');
    const first = await server.request('GET', `/Users?filter=${filter}&count=5&cursor=`);
    expect(first.status).toBe(200);
    expect(first.body.Resources ?? []).toEqual([]);
    expect(first.body.totalResults).toBe(USERS.length);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await server.request('GET', `/Users?filter=${filter}&count=5&cursor=${q(first.body.nextCursor)}`);
    expect(second.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['Alma']);
    expect(second.body.totalResults).toBe(1);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('answers 400 tooMany naming the range for a random startIndex into a filtered range past the bound, and for a sort by another attribute', async () => {
    const r = await server.request('GET', `/Users?filter=${q('userName sw "al" and title eq "T"')}&startIndex=3&count=1`);
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('tooMany');
    expect(r.body.detail).toMatch(/userName range holds more than 3 Users, so the rest of the filter \(userName, title\) is applied as the range streams in order/);
    const sorted = await server.request('GET', `/Users?filter=${q('userName sw "al"')}&sortBy=displayName`);
    expect(sorted.status).toBe(400);
    expect(sorted.body.detail).toMatch(/^sortBy=displayName with a filter on userName/);
  });

  it('sorts and filters Groups by displayName and meta.lastModified', async () => {
    const asc = await all('/Groups?sortBy=displayName&excludedAttributes=members', 'cursor');
    const sw = await all(`/Groups?filter=${q('displayName sw "s"')}&excludedAttributes=members`, 'index');
    const recent = await all(`/Groups?filter=${q(`meta.lastModified gt "${T}"`)}&sortBy=meta.lastModified`, 'index');
    expect(asc.names).toEqual(['Eng', 'Sales', 'support']);
    expect(sw.names.sort()).toEqual(['Sales', 'support']);
    expect(recent.names).toEqual(['Sales', 'support', 'Eng']);
  });

  it('answers an unknown cursor for an index query with 400, not a page of something else', async () => {
    const first = await server.request('GET', `/Users?sortBy=userName&cursor=&count=2`);
    const other = await server.request('GET', `/Users?sortBy=displayName&cursor=${encodeURIComponent(first.body.nextCursor)}&count=2`);
    expect(other.status).toBe(400);
  });
});

describe('while a table\'s sorted indexes are being built (an upgrade: sortedIndexes false)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxScanItems: 3, scimConfig: { sortedIndexes: false } });
    for (const u of USERS) await server.request('POST', '/Users', { schemas: [CORE], ...u });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves sortBy and ranges by the bounded paths, not from the half-built indexes, and advertises only the key lookups', async () => {
    // Act
    const sorted = await server.request('GET', '/Users?sortBy=userName');
    const range = await server.request('GET', `/Users?filter=${q('userName sw "al"')}`);
    const lookup = await server.request('GET', `/Users?filter=${q('userName eq "alice"')}`);
    const spc = await server.request('GET', '/ServiceProviderConfig');
    // Assess
    expect(sorted.status).toBe(400);
    expect(sorted.body.scimType).toBe('tooMany');
    expect(range.status).toBe(400);
    expect(lookup.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['alice']);
    expect(spc.body.sort.indexed).toEqual({ User: [], Group: [] });
    expect(spc.body.filter.indexed).toContain('userName eq');
    expect(spc.body.filter.indexed).not.toContain('userName sw');
  });
});
