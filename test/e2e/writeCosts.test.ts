import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { attachRequestCounter, type RequestCounter } from '../../lambdas/store';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * The write costs issue 17 sets, per HTTP request through the real handlers, with a request counter
 * on the store's DynamoDB client: each at the minimum the table layout allows.
 */
describe('write cost per request', () => {
  let server: TestServer;
  let counter: RequestCounter;

  /** Runs one request and returns the DynamoDB calls it made. */
  const cost = async (method: string, path: string, body: unknown, status: number) => {
    counter.reset();
    const r = await server.request(method, path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return { body: r.body, requests: counter.counts.requests, itemWrites: counter.counts.itemWrites, byCommand: { ...counter.counts.byCommand } };
  };

  beforeAll(async () => {
    server = await startTestServer();
    counter = attachRequestCounter(server.doc);
  });
  afterAll(async () => {
    counter?.detach();
    await server?.close();
  });

  it('creates a group without members in one transaction and no member read', async () => {
    // Act: Entra creates groups empty, then adds members by PATCH
    const c = await cost('POST', '/Groups', { schemas: [GROUP], displayName: `Empty ${randomUUID()}` }, 201);
    // Assess
    expect(c.byCommand).toEqual({ TransactWriteItemsCommand: 1 });
    expect(c.body.members ?? []).toEqual([]);
  });

  it('deletes a user in 4 groups with 4 calls, and the groups lose the member', async () => {
    // Prepare
    const user = (await server.request('POST', '/Users', { schemas: [USER], userName: `k4-${randomUUID()}@example.com`, externalId: randomUUID(), emails: [{ value: 'k4@example.com', type: 'work' }] })).body;
    const groups: string[] = [];
    for (let i = 0; i < 4; i++) {
      const g = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: `K4 ${i} ${randomUUID()}` });
      await server.request('PATCH', `/Groups/${g.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] });
      groups.push(g.body.id);
    }
    // Act
    const c = await cost('DELETE', `/Users/${user.id}`, undefined, 204);
    // Assess: GetItem and the reverse-index Query, then one transaction of item, marker, 2 lookups,
    // counter, audit record, cleanup item and 4 × (membership, group count/version)
    // The second Query: the reverse index once more after the commit, for a racing PATCH's membership.
    expect(c.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 2, TransactWriteItemsCommand: 1 });
    expect(c.itemWrites).toBe(7 + 2 * 4);
    expect((await server.request('GET', `/Users/${user.id}`)).status).toBe(404);
    for (const id of groups) expect((await server.request('GET', `/Groups/${id}`)).body.members ?? []).toEqual([]);
  });
});
