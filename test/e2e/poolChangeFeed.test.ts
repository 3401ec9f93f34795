import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { LocalPool } from '../../lambdas/local/startLocalPool';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { SETTLE_MS } from '../../lambdas/store/eventLog';
import type { ChangeEvent } from '../../lambdas/events';
import { assertValidEvent } from '../events/eventSchemaValidator';
import { startTestPool } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(url: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; body: { [k: string]: unknown } }> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

describe('the change feed of a pooled table on the local server', () => {
  let pool: LocalPool;
  const published: ChangeEvent[] = [];
  const tenants: { name: string; scim: string; token: string; events: string; eventsToken: string; userId: string }[] = [];

  /** Every event of one tenant's pull API, page after page. */
  async function pullAll(t: (typeof tenants)[number], token = t.eventsToken): Promise<ChangeEvent[]> {
    const seen: ChangeEvent[] = [];
    let after = '';
    for (let page = 0; page < 50; page++) {
      const r = await send(`${t.events}?limit=5${after ? `&after=${after}` : ''}`, token);
      expect(r.status).toBe(200);
      seen.push(...(r.body.events as ChangeEvent[]));
      after = r.body.next as string;
      if ((r.body.events as unknown[]).length === 0) break;
    }
    return seen;
  }

  beforeAll(async () => {
    pool = await startTestPool('poolfeed', {
      onEvents: (e) => published.push(...e),
    });
    for (const prefix of ['a', 'b']) {
      const name = `${prefix}-${randomUUID().slice(0, 6)}`;
      const enabled = await pool.management.enableTenant(name, { label: `${prefix} idp` });
      const reader = await pool.management.issueToken(name, { label: `${prefix} app`, scopes: ['events:read'] });
      const u = await send(`${enabled.scimBaseUrl}/Users`, enabled.token, 'POST', { schemas: [USER], userName: `same@${prefix}.example`, password: 'Secret-123456' });
      expect(u.status).toBe(201);
      await send(`${enabled.scimBaseUrl}/Groups`, enabled.token, 'POST', { schemas: [GROUP], displayName: 'Sales', members: [{ value: u.body.id }] });
      await send(`${enabled.scimBaseUrl}/Users/${u.body.id}`, enabled.token, 'DELETE');
      tenants.push({ name, scim: enabled.scimBaseUrl, token: enabled.token, events: `${pool.origin}/t/${name}/events`, eventsToken: reader.token, userId: u.body.id as string });
    }
    await pool.feed!.drain();
    await sleep(SETTLE_MS + 500);
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
  });

  it("publishes each tenant's changes with that tenant in the envelope, named by that tenant's token", () => {
    // Assess
    for (const t of tenants) {
      const own = published.filter((e) => e.tenant === t.name);
      // Order holds per resource (one stream shard each), not across resources.
      expect(own.map((e) => e.type).sort()).toEqual(['group.created', 'group.members_added', 'group.members_removed', 'user.created', 'user.deleted']);
      expect(own.every((e) => e.actor?.label === `${t.name.slice(0, 1)} idp`)).toBe(true);
      expect(own.find((e) => e.type === 'user.deleted')?.resourceId).toBe(t.userId);
    }
    expect(published.every((e) => tenants.some((t) => t.name === e.tenant))).toBe(true);
    expect(JSON.stringify(published)).not.toContain('Secret-123456');
  });

  it("gives a tenant's reader its own events only, and refuses another tenant's URL, a SCIM token and a reader on SCIM", async () => {
    // Act
    const [a, b] = tenants;
    const seenA = await pullAll(a);
    const seenB = await pullAll(b);
    const crossUrl = await send(b.events, a.eventsToken);
    const scimToken = await send(a.events, a.token);
    const readerOnScim = await send(`${a.scim}/Users`, a.eventsToken);
    // Assess
    for (const e of [...seenA, ...seenB]) assertValidEvent(e);
    expect(seenA.map((e) => e.id).sort()).toEqual(published.filter((e) => e.tenant === a.name).map((e) => e.id).sort());
    expect(seenB.every((e) => e.tenant === b.name)).toBe(true);
    expect(seenB).toHaveLength(5);
    expect(crossUrl.status).toBe(403);
    expect(scimToken.status).toBe(403);
    expect(readerOnScim.status).toBe(403);
  });

  it('refuses to issue a token that mixes events:read with a SCIM scope', async () => {
    // Act / Assess
    await expect(pool.management.issueToken(tenants[0].name, { scopes: ['events:read', 'scim:read'] })).rejects.toBeInstanceOf(ManagementApiError);
  });

  it('publishes nothing for the pool directory itself: enabling tenants and issuing tokens are not resource changes', async () => {
    // Prepare
    const before = published.length;
    // Act
    const extra = `c-${randomUUID().slice(0, 6)}`;
    await pool.management.enableTenant(extra);
    await pool.management.issueToken(extra, { scopes: ['events:read'] });
    await pool.feed!.drain();
    // Assess
    expect(published.slice(before)).toEqual([]);
  });
});
