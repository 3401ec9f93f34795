import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { createToken } from '../../lambdas/auth/tokenStore';
import { LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { SETTLE_MS } from '../../lambdas/store/eventLog';
import type { ChangeEvent } from '../../lambdas/events';
import { startTestServer, type TestServer } from '../support/localStack';
import { assertValidEvent } from '../events/eventSchemaValidator';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GET /events on the local server', () => {
  let server: TestServer;
  let eventsToken: string;
  const published: ChangeEvent[] = [];
  let origin: string;

  const pull = async (query: string, token = eventsToken) => {
    const res = await fetch(`${origin}/events${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    server = await startTestServer({ changeFeed: true, onEvents: (e) => published.push(...e) });
    origin = new URL(server.baseUrl).origin;
    eventsToken = (await createToken(LocalFileSecretSource.inDataDir(server.dataDir), { tenant: LOCAL_TENANT, label: 'vendor app', scopes: ['events:read'] })).token;
    // Changes to page through: creates, updates, a deactivation and a delete.
    for (let i = 0; i < 12; i++) {
      const r = await server.request('POST', '/Users', { schemas: [USER], userName: `pull${i}@example.com` });
      await server.request('PATCH', `/Users/${r.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: `P${i}` }] });
      if (i % 4 === 0) await server.request('DELETE', `/Users/${r.body.id}`);
    }
    await server.feed!.drain();
    // Readers stay SETTLE_MS behind now, so nothing still being written is skipped; the local token file is re-read every second.
    await sleep(SETTLE_MS + 1_100);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('pages through every published event once, without gaps or repeats, a resource in commit order', async () => {
    // Act
    const seen: ChangeEvent[] = [];
    let after = '';
    for (let page = 0; page < 100; page++) {
      const r = await pull(`?limit=7${after ? `&after=${after}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.events.length).toBeLessThanOrEqual(7);
      expect(typeof r.body.next).toBe('string');
      seen.push(...r.body.events);
      after = r.body.next;
      if (r.body.events.length === 0) break;
    }
    // Assess
    for (const e of seen) assertValidEvent(e);
    expect(seen.map((e) => e.id).sort()).toEqual(published.map((e) => e.id).sort());
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    const byResource = new Map<string, number[]>();
    for (const e of seen) byResource.set(e.resourceId, [...(byResource.get(e.resourceId) ?? []), e.version]);
    for (const versions of byResource.values()) expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // An idle log answers an empty page with a cursor that still finds the next change.
    const idle = await pull(`?after=${after}`);
    expect(idle.body.events).toEqual([]);
    await server.request('POST', '/Users', { schemas: [USER], userName: 'pull-late@example.com' });
    await server.feed!.drain();
    await sleep(SETTLE_MS + 200);
    const late = await pull(`?after=${idle.body.next}`);
    expect(late.body.events.map((e: ChangeEvent) => e.type)).toEqual(['user.created']);
  }, 60_000);

  it('refuses SCIM tokens, and an events token anywhere but GET /events', async () => {
    expect((await pull('', server.token)).status).toBe(403);
    const scimWithEventsToken = await fetch(`${server.baseUrl}/Users`, { headers: { Authorization: `Bearer ${eventsToken}` } });
    expect(scimWithEventsToken.status).toBe(403);
    const post = await fetch(`${origin}/events`, { method: 'POST', headers: { Authorization: `Bearer ${eventsToken}` } });
    expect(post.status).toBe(403);
    expect((await pull('', 'scim_local_not-a-real-token-0000000000000000000000000')).status).toBe(401);
  });

  it('answers 400 for a cursor it did not issue and a limit out of range', async () => {
    expect((await pull('?after=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await pull('?limit=0')).status).toBe(400);
    expect((await pull('?limit=1001')).status).toBe(400);
    expect((await pull('?limit=ten')).body.detail).toMatch(/limit/);
  });
});
