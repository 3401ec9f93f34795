import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../../lambdas/contracts/awsLimits';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const N = 12;

/**
 * Users made to be large where Lambda measures: nine addresses of 16,000 double quotes each. A
 * quote is 1 byte stored, 2 in the JSON body and 4 in the serialized proxy result, so each user is
 * ~580 KB there and a page of all twelve ~7 MB: over Lambda's 6 MB response payload.
 */
function bigUser(i: number): Record<string, unknown> {
  return {
    schemas: [CORE],
    userName: `big${String(i).padStart(2, '0')}@example.com`,
    addresses: Array.from({ length: 9 }, (_, j) => ({ type: j === 0 ? 'work' : 'other', formatted: '"'.repeat(16_000) })),
  };
}

/** The size Lambda would measure for an answer with this body (the proxy result's JSON). */
function lambdaSize(status: number, headers: Record<string, string>, text: string): number {
  return Buffer.byteLength(JSON.stringify({ statusCode: status, headers, body: text }));
}

describe('list pages fit Lambda\'s 6 MB response payload', () => {
  let server: TestServer;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ scimConfig: { maxPageSize: 100 } });
    for (let i = 0; i < N; i++) {
      const r = await server.request('POST', '/Users', bigUser(i));
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  /** GET with the raw text too, to measure what Lambda would. */
  async function getRaw(path: string): Promise<{ status: number; size: number; body: { totalResults: number; itemsPerPage: number; startIndex?: number; nextCursor?: string; Resources: { id: string }[] } }> {
    const res = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${server.token}` } });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, size: lambdaSize(res.status, headers, text), body: JSON.parse(text) };
  }

  it('answers a page that would pass 6 MB with fewer resources than asked, each page under the limit, and startIndex paging completes', async () => {
    // Prepare
    const seen: string[] = [];
    let startIndex = 1;
    let pages = 0;
    // Act: page the way Okta does, startIndex += itemsPerPage until totalResults.
    while (seen.length < N && pages < N) {
      const page = await getRaw(`/Users?startIndex=${startIndex}&count=100`);
      expect(page.status).toBe(200);
      expect(page.size).toBeLessThanOrEqual(LAMBDA_MAX_RESPONSE_BYTES);
      expect(page.body.totalResults).toBe(N);
      expect(page.body.startIndex).toBe(startIndex);
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length);
      expect(page.body.itemsPerPage).toBeGreaterThan(0);
      seen.push(...page.body.Resources.map((r) => r.id));
      startIndex += page.body.itemsPerPage;
      pages++;
    }
    // Assess: more than one page, every user exactly once, in creation order.
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(ids);
  }, 120_000);

  it('continues cursor paging exactly after the last resource a shortened page carried', async () => {
    // Prepare
    const seen: string[] = [];
    let cursor = '';
    // Act
    for (let pages = 0; pages <= N; pages++) {
      const page = await getRaw(`/Users?count=100&cursor=${encodeURIComponent(cursor)}`);
      expect(page.status).toBe(200);
      expect(page.size).toBeLessThanOrEqual(LAMBDA_MAX_RESPONSE_BYTES);
      seen.push(...page.body.Resources.map((r) => r.id));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    // Assess
    expect(seen).toEqual(ids);
  }, 120_000);

  it('cuts a filtered search by the same budget and keeps totalResults right', async () => {
    // Act
    const r = await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: 'userName sw "big"', count: 100 });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(N);
    expect(r.body.itemsPerPage).toBeLessThan(N);
    expect(r.body.Resources.map((x: { id: string }) => x.id)).toEqual(ids.slice(0, r.body.itemsPerPage));
  }, 120_000);

  it('fills a root /.search page with as many resources as fit, continuing by startIndex', async () => {
    // Act
    const first = await server.request('POST', '/.search', { schemas: [SEARCH], count: 100 });
    const second = await server.request('POST', '/.search', { schemas: [SEARCH], count: 100, startIndex: 1 + first.body.itemsPerPage });
    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.itemsPerPage).toBeLessThan(N);
    expect([...first.body.Resources, ...second.body.Resources].map((x: { id: string }) => x.id)).toEqual(ids.slice(0, first.body.itemsPerPage + second.body.itemsPerPage));
  }, 120_000);

  it('refuses a member display longer than 256 characters on create and PATCH, so member lists stay bounded', async () => {
    // Prepare
    const long = 'd'.repeat(257);
    // Act
    const create = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'g-long', members: [{ value: ids[0], display: long }] });
    const ok = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'g-ok', members: [{ value: ids[0], display: 'd'.repeat(256) }] });
    const patch = await server.request('PATCH', `/Groups/${ok.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: ids[1], display: long }] }],
    });
    // Assess
    expect(create.status).toBe(400);
    expect(create.body.scimType).toBe('invalidValue');
    expect(ok.status).toBe(201);
    expect(patch.status).toBe(400);
    expect(patch.body.detail).toMatch(/display/);
  });
});
