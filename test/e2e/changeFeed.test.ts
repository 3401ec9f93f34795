import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { listTokens } from '../../lambdas/auth/tokenStore';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { createStreamProcessor } from '../../lambdas/feed/createStreamProcessor';
import { readWholeStream } from '../../lambdas/local/readWholeStream';
import { buildRegistry } from '../../lambdas/scim/config';
import type { ChangeEvent } from '../../lambdas/events';
import { seedUserItems } from '../support/seedUserItems';
import { startTestServer, type TestServer } from '../support/localStack';
import { assertValidEvent } from '../events/eventSchemaValidator';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const idOf = (location: string) => location.split('/').pop() as string;

describe('change feed over HTTP on the local server', () => {
  let server: TestServer;
  const published: ChangeEvent[] = [];
  let tokenId: string;
  let tokenLabel: string;

  /** Runs `action`, waits until the stream handler caught up, and returns the events it published. */
  async function eventsOf(action: () => Promise<unknown>): Promise<ChangeEvent[]> {
    await server.feed!.drain();
    const start = published.length;
    await action();
    await server.feed!.drain();
    const out = published.slice(start);
    for (const e of out) assertValidEvent(e);
    return out;
  }
  const summary = (events: ChangeEvent[]) => events.map((e) => `${e.type} ${e.resourceId}`);

  async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await server.request('POST', '/Users', { schemas: [USER], userName, ...extra });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  beforeAll(async () => {
    server = await startTestServer({ changeFeed: true, onEvents: (events) => published.push(...events) });
    const [token] = await listTokens(LocalFileSecretSource.inDataDir(server.dataDir), { tenant: LOCAL_TENANT });
    tokenId = token.id;
    tokenLabel = token.label;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publishes user.created with the envelope fields and the resource, never the password hash', async () => {
    // Act
    let id = '';
    const events = await eventsOf(async () => (id = await createUser('feed.alice@example.com', { externalId: 'ext-alice', password: 'Secr3t!pass' })));
    // Assess
    expect(summary(events)).toEqual([`user.created ${id}`]);
    const [e] = events;
    expect(e).toMatchObject({ tenant: LOCAL_TENANT, schemaVersion: 1, resourceType: 'User', externalId: 'ext-alice', version: 1, previousVersion: 0 });
    expect(e.actor).toEqual({ tokenId, label: tokenLabel });
    expect(e.requestId).toEqual(expect.any(String));
    expect((e.data as { resource: Record<string, unknown> }).resource).toMatchObject({ id, userName: 'feed.alice@example.com', meta: { version: 'W/"1"' } });
    expect(JSON.stringify(e)).not.toMatch(/password|Secr3t|scrypt/i);
  });

  it('names the changed attributes of a PATCH and a PUT, and emits nothing for a no-op PATCH', async () => {
    const id = await createUser('feed.bob@example.com');
    const patched = await eventsOf(() => server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: 'Bob' })));
    expect(patched.map((e) => [e.type, e.data])).toEqual([['user.updated', expect.objectContaining({ changedAttributes: ['displayName'] })]]);
    expect(patched[0]).toMatchObject({ version: 2, previousVersion: 1 });
    const noop = await eventsOf(() => server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: 'Bob' })));
    expect(noop).toEqual([]);
    const put = await eventsOf(() => server.request('PUT', `/Users/${id}`, { schemas: [USER], userName: 'feed.bob@example.com', title: 'Engineer' }));
    expect(put.map((e) => [e.type, (e.data as { changedAttributes: string[] }).changedAttributes])).toEqual([['user.updated', ['displayName', 'title']]]);
  });

  it('reads active false as user.deactivated, true again as user.reactivated, and DELETE as user.deleted', async () => {
    const id = await createUser('feed.carol@example.com');
    const off = await eventsOf(() => server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: 'False' })));
    expect(summary(off)).toEqual([`user.deactivated ${id}`]);
    const on = await eventsOf(() => server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: true } })));
    expect(summary(on)).toEqual([`user.reactivated ${id}`]);
    const gone = await eventsOf(() => server.request('DELETE', `/Users/${id}`));
    expect(summary(gone)).toEqual([`user.deleted ${id}`]);
    expect(gone[0]).toMatchObject({ data: {}, actor: { tokenId } });
  });

  it('emits nothing for rejected requests: conflicts, bad input, failed preconditions, unknown ids', async () => {
    const id = await createUser('feed.dave@example.com');
    const events = await eventsOf(async () => {
      expect((await server.request('POST', '/Users', { schemas: [USER], userName: 'FEED.dave@example.com' })).status).toBe(409);
      expect((await server.request('POST', '/Users', { schemas: [USER] })).status).toBe(400);
      expect((await server.request('PATCH', `/Users/${id}`, patch({ op: 'explode', path: 'title', value: 'x' }))).status).toBe(400);
      expect((await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'x' }), { 'If-Match': 'W/"99"' })).status).toBe(412);
      expect((await server.request('DELETE', '/Users/no-such-user')).status).toBe(404);
      expect((await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'bad', members: [{ value: 'no-such-user' }] })).status).toBe(400);
    });
    expect(events).toEqual([]);
  });

  it('publishes group creation, renames, member changes and deletion, and a deleted member leaving its groups', async () => {
    const u1 = await createUser('feed.g1@example.com');
    const u2 = await createUser('feed.g2@example.com');
    const u3 = await createUser('feed.g3@example.com');
    let gid = '';
    const created = await eventsOf(async () => {
      const r = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Feed Eng', members: [{ value: u1 }, { value: u2 }] });
      gid = r.body.id;
    });
    expect(summary(created)).toEqual([`group.created ${gid}`, `group.members_added ${gid}`]);
    expect(created[0].data).toMatchObject({ memberCount: 2, resource: { displayName: 'Feed Eng' } });
    expect(created[0].data).not.toHaveProperty('resource.members');
    expect((created[1].data as { members: { value: string }[] }).members.map((m) => m.value).sort()).toEqual([u1, u2].sort());

    const added = await eventsOf(() => server.request('PATCH', `/Groups/${gid}`, patch({ op: 'add', path: 'members', value: [{ value: u3 }] })));
    expect(added.map((e) => [e.type, e.data])).toEqual([['group.members_added', { members: [{ value: u3, type: 'User' }], memberCount: 3 }]]);

    const removed = await eventsOf(() => server.request('PATCH', `/Groups/${gid}`, patch({ op: 'remove', path: `members[value eq "${u1}"]` })));
    expect(removed.map((e) => [e.type, e.data])).toEqual([['group.members_removed', { members: [{ value: u1, type: 'User' }], memberCount: 2 }]]);

    const renamed = await eventsOf(() => server.request('PATCH', `/Groups/${gid}`, patch({ op: 'replace', path: 'displayName', value: 'Feed Engineering' })));
    expect(renamed.map((e) => [e.type, (e.data as { changedAttributes: string[] }).changedAttributes])).toEqual([['group.updated', ['displayName']]]);

    const userGone = await eventsOf(() => server.request('DELETE', `/Users/${u2}`));
    expect(summary(userGone)).toEqual([`user.deleted ${u2}`, `group.members_removed ${gid}`]);
    expect(userGone[1]).toMatchObject({ actor: { tokenId }, data: { members: [{ value: u2, type: 'User' }], memberCount: 1 } });

    const groupGone = await eventsOf(() => server.request('DELETE', `/Groups/${gid}`));
    expect(summary(groupGone)).toEqual([`group.deleted ${gid}`]);
  });

  it('publishes the same events for operations inside /Bulk', async () => {
    let ids: string[] = [];
    const events = await eventsOf(async () => {
      const r = await server.request('POST', '/Bulk', {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'u', data: { schemas: [USER], userName: 'feed.bulk@example.com' } },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Feed Bulk', members: [{ value: 'bulkId:u' }] } },
          { method: 'PATCH', path: '/Users/bulkId:u', data: patch({ op: 'replace', path: 'active', value: false }) },
          { method: 'POST', path: '/Users', bulkId: 'dup', data: { schemas: [USER], userName: 'FEED.BULK@example.com' } },
          { method: 'DELETE', path: '/Groups/bulkId:g' },
        ],
      });
      expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '200', '409', '204']);
      ids = r.body.Operations.slice(0, 2).map((o: { location: string }) => idOf(o.location));
    });
    const [u, g] = ids;
    expect(summary(events).sort()).toEqual(
      [`user.created ${u}`, `group.created ${g}`, `group.members_added ${g}`, `user.deactivated ${u}`, `group.deleted ${g}`].sort(),
    );
    // One resource's events keep commit order.
    expect(summary(events.filter((e) => e.resourceId === g))).toEqual([`group.created ${g}`, `group.members_added ${g}`, `group.deleted ${g}`]);
  });

  it('turns a 1,000-member PATCH into a bounded number of events listing every member once', async () => {
    const userIds = Array.from({ length: 1000 }, (_, i) => `feedbig-${String(i).padStart(4, '0')}`);
    await seedUserItems(server.doc, server.tableName, userIds);
    const g = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Feed Big' });
    const events = await eventsOf(() => server.request('PATCH', `/Groups/${g.body.id}`, patch({ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) })));
    const memberEvents = events.filter((e) => e.type === 'group.members_added');
    expect(memberEvents.length).toBe(events.length);
    expect(memberEvents.length).toBeLessThanOrEqual(12);
    const listed = memberEvents.flatMap((e) => (e.data as { members: { value: string }[] }).members.map((m) => m.value));
    expect(listed.sort()).toEqual([...userIds].sort());
    expect(memberEvents.at(-1)!.data).toMatchObject({ memberCount: 1000 });
  }, 180_000);

  it('gives a redelivered stream batch the same event ids', async () => {
    // Prepare: some fresh changes, then the raw stream records as Lambda would deliver them again
    await eventsOf(async () => {
      const id = await createUser('feed.replay@example.com');
      await server.request('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: 'Replay' }));
      await server.request('DELETE', `/Users/${id}`);
    });
    const records = await readWholeStream(server.dynamoEndpoint, server.tableName);
    const replayed: ChangeEvent[] = [];
    const handler = createStreamProcessor({
      tenant: LOCAL_TENANT,
      registry: buildRegistry({ customExtensions: [] }),
      sinks: [{ name: 'capture', publish: async (events) => void replayed.push(...events) }],
    });
    // Act: the same records, in two redeliveries with different batch boundaries
    for (let i = 0; i < records.length; i += 7) await handler({ Records: records.slice(i, i + 7) });
    await handler({ Records: records.slice(0, 100) });
    // Assess
    const originalIds = published.map((e) => e.id);
    const firstPass = replayed.slice(0, published.length).map((e) => e.id);
    expect(new Set(firstPass)).toEqual(new Set(originalIds));
    expect(replayed.slice(published.length).map((e) => e.id)).toEqual(firstPass.slice(0, replayed.length - published.length));
  }, 120_000);
});
