import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { attachRequestCounter, type RequestCounter } from '../../lambdas/store';
import { MAX_FILTER_LOOKUPS } from '../../lambdas/scim/filter';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * docs/design.md's cost targets, measured per HTTP request through the real handlers with a request
 * counter on the store's DynamoDB client (issue 5 "Done when").
 */
describe('/Users DynamoDB cost per request', () => {
  let server: TestServer;
  let counter: RequestCounter;
  const users: { id: string; userName: string; externalId: string }[] = [];

  /** Runs one request and returns the DynamoDB calls it made. */
  const cost = async (method: string, path: string, body?: unknown, status = 200) => {
    counter.reset();
    const r = await server.request(method, path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return { ...counter.counts, byCommand: { ...counter.counts.byCommand } };
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (let i = 0; i < 12; i++) {
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `cost${i}@example.com`, externalId: `cx-${i}`, emails: [{ type: 'work', value: `cost${i}@work.example` }] });
      users.push(r.body);
    }
    counter = attachRequestCounter(server.doc);
  });
  afterAll(async () => {
    counter?.detach();
    await server?.close();
  });

  it('creates a user with one transaction', async () => {
    // Act
    const c = await cost('POST', '/Users', { schemas: [CORE], userName: `new-${randomUUID()}`, externalId: 'x', emails: [{ value: 'n@x.com' }] }, 201);
    // Assess
    expect(c.requests).toBe(1);
    expect(c.byCommand).toEqual({ TransactWriteItemsCommand: 1 });
  });

  it('reads a lookup ORed with itself 89 times no more than the lookup once', async () => {
    // Prepare
    const one = `externalId eq "${users[2].externalId}"`;
    const single = await cost('GET', `/Users?filter=${encodeURIComponent(one)}`);
    // Act
    const repeated = await cost('GET', `/Users?filter=${encodeURIComponent(Array(89).fill(one).join(' or '))}`);
    // Assess
    expect(repeated.requests).toBe(single.requests);
  });

  it('answers 400 tooMany to an OR of more distinct lookups than the cap, reading nothing', async () => {
    // Prepare
    const filter = Array.from({ length: MAX_FILTER_LOOKUPS + 1 }, (_, i) => `externalId eq "many-${i}"`).join(' or ');
    // Act
    counter.reset();
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('tooMany');
    expect(counter.counts.requests).toBe(0);
  });

  it('reads a user by id with one GetItem', async () => {
    // Act
    const c = await cost('GET', `/Users/${users[0].id}`);
    // Assess
    expect(c.byCommand).toEqual({ GetItemCommand: 1 });
  });

  it.each([
    ['userName eq', () => `userName eq "${users[1].userName}"`],
    ['externalId eq', () => `externalId eq "${users[1].externalId}"`],
    ['emails[type eq "work"].value eq', () => 'emails[type eq "work"].value eq "cost1@work.example"'],
  ])('serves %s in at most 2 requests', async (_name, filter) => {
    // Act
    const c = await cost('GET', `/Users?filter=${encodeURIComponent(filter())}`);
    // Assess
    expect(c.requests).toBeLessThanOrEqual(2);
    expect(c.scans).toBe(0);
  });

  it.each([
    // A read and one conditional write.
    ['a PATCH of a plain attribute', () => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: randomUUID() }] }), 2],
    // A read, one conditional UpdateItem and the audit record's PutItem: no transaction since no index changes.
    ['a deactivating PATCH', () => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }), 3],
  ])('applies %s with one read and no transaction', async (_name, body, maxRequests) => {
    // Act
    const c = await cost('PATCH', `/Users/${users[2].id}`, body());
    // Assess
    expect(c.requests).toBeLessThanOrEqual(maxRequests);
    expect(c.byCommand.GetItemCommand).toBe(1);
    expect(c.byCommand.TransactWriteItemsCommand ?? 0).toBe(0);
  });

  it('applies a PUT with a read and one conditional write', async () => {
    // Act
    const c = await cost('PUT', `/Users/${users[3].id}`, { schemas: [CORE], userName: users[3].userName, externalId: users[3].externalId, title: 'put' });
    // Assess
    expect(c.requests).toBeLessThanOrEqual(2);
  });

  it('pages sequentially at a cost that does not grow with startIndex', async () => {
    // Act
    const costs: number[] = [];
    for (let start = 1; start <= 10; start += 3) costs.push((await cost('GET', `/Users?startIndex=${start}&count=3`)).requests);
    // Assess
    expect(Math.max(...costs)).toBeLessThanOrEqual(4);
  });

  it('deletes a user in a handful of requests and never scans', async () => {
    // Act
    const c = await cost('DELETE', `/Users/${users[11].id}`, undefined, 204);
    // Assess
    expect(c.requests).toBeLessThanOrEqual(5);
    expect(c.scans).toBe(0);
  });
});
