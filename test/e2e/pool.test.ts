import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LocalPool, LocalPoolOptions } from '../../lambdas/local/startLocalPool';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { requestToken } from '../support/oauthClient';
import { startTestPool } from '../support/localStack';
import { attachRequestCounter } from '../../lambdas/store';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Reply {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary SCIM JSON
  body: any;
}

async function send(url: string, token: string, method = 'GET', body?: unknown): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, body: text ? JSON.parse(text) : undefined };
}

function startPool(extra: Partial<LocalPoolOptions> = {}): Promise<LocalPool> {
  // The change feed has its own test (poolChangeFeed.test.ts): no stream poller here.
  return startTestPool('pool', { changeFeed: false, ...extra });
}

describe('pooled tenancy on the local server', () => {
  let pool: LocalPool;
  let a: { url: string; token: string };
  let b: { url: string; token: string };
  let aUserId: string;
  let aGroupId: string;
  const aUserName = `alice-${randomUUID().slice(0, 8)}@a.example`;

  beforeAll(async () => {
    pool = await startPool();
    const ea = await pool.management.enableTenant(`a-${randomUUID().slice(0, 6)}`);
    const eb = await pool.management.enableTenant(`b-${randomUUID().slice(0, 6)}`);
    a = { url: ea.scimBaseUrl, token: ea.token };
    b = { url: eb.scimBaseUrl, token: eb.token };
    const u = await send(`${a.url}/Users`, a.token, 'POST', { schemas: [CORE], userName: aUserName, externalId: 'ext-a-1' });
    expect(u.status).toBe(201);
    aUserId = u.body.id;
    const g = await send(`${a.url}/Groups`, a.token, 'POST', { schemas: [GROUP], displayName: 'Sales', members: [{ value: aUserId }] });
    expect(g.status).toBe(201);
    aGroupId = g.body.id;
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('enabling a tenant answers its /t/<tenant>/scim/v2 base URL and a token that works at once', async () => {
    // Act
    const r = await send(`${a.url}/Users/${aUserId}`, a.token);
    // Assess
    expect(a.url).toMatch(/\/t\/a-[0-9a-f]{6}\/scim\/v2$/);
    expect(r.status).toBe(200);
    expect(r.body.userName).toBe(aUserName);
    expect(r.body.meta.location).toBe(`${a.url}/Users/${aUserId}`);
  });

  it("tenant B reading tenant A's user id gets exactly what it gets for an id that does not exist", async () => {
    // Act
    const theirs = await send(`${b.url}/Users/${aUserId}`, b.token);
    const none = await send(`${b.url}/Users/${randomUUID()}`, b.token);
    // Assess
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    const shape = (r: Reply) => JSON.stringify(r.body).replace(/[0-9a-f-]{36}/g, '<id>');
    expect(shape(theirs)).toBe(shape(none));
  });

  it("tenant B's filters, lists, groups and PATCHes never see or touch tenant A's resources", async () => {
    // Act
    const byName = await send(`${b.url}/Users?filter=${encodeURIComponent(`userName eq "${aUserName}"`)}`, b.token);
    const byExt = await send(`${b.url}/Users?filter=${encodeURIComponent('externalId eq "ext-a-1"')}`, b.token);
    const list = await send(`${b.url}/Users`, b.token);
    const groups = await send(`${b.url}/Groups?filter=${encodeURIComponent('displayName eq "Sales"')}`, b.token);
    const patchTheirs = await send(`${b.url}/Groups/${aGroupId}`, b.token, 'PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: aUserId }] }] });
    const deleteTheirs = await send(`${b.url}/Users/${aUserId}`, b.token, 'DELETE');
    const stillThere = await send(`${a.url}/Users/${aUserId}`, a.token);
    // Assess
    expect(byName.body.totalResults).toBe(0);
    expect(byExt.body.totalResults).toBe(0);
    expect(list.body.totalResults).toBe(0);
    expect(groups.body.totalResults).toBe(0);
    expect(patchTheirs.status).toBe(404);
    expect(deleteTheirs.status).toBe(404);
    expect(stillThere.status).toBe(200);
  });

  it("a cursor issued to tenant A is refused by tenant B with 400 invalidCursor, never a page of A's data", async () => {
    // Prepare
    for (let i = 0; i < 3; i++) await send(`${a.url}/Users`, a.token, 'POST', { schemas: [CORE], userName: `page-${i}-${randomUUID()}` });
    const first = await send(`${a.url}/Users?cursor=&count=1`, a.token);
    expect(first.body.nextCursor).toBeTruthy();
    // Act
    const stolen = await send(`${b.url}/Users?cursor=${encodeURIComponent(first.body.nextCursor)}&count=1`, b.token);
    // Assess
    expect(stolen.status).toBe(400);
    expect(stolen.body.scimType).toBe('invalidCursor');
  });

  it("a /Bulk of tenant B naming tenant A's ids touches nothing of A's", async () => {
    // Act
    const r = await send(`${b.url}/Bulk`, b.token, 'POST', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'PATCH', path: `/Users/${aUserId}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'owned' }] } },
        { method: 'DELETE', path: `/Groups/${aGroupId}` },
      ],
    });
    const user = await send(`${a.url}/Users/${aUserId}`, a.token);
    const group = await send(`${a.url}/Groups/${aGroupId}?excludedAttributes=members`, a.token);
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['404', '404']);
    expect(user.body.displayName).toBeUndefined();
    expect(group.status).toBe(200);
  });

  it('the same userName in two tenants is two users: uniqueness is per tenant', async () => {
    // Act
    const r = await send(`${b.url}/Users`, b.token, 'POST', { schemas: [CORE], userName: aUserName });
    // Assess
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe(aUserId);
  });

  it("A's token on B's URL gets the same answer as on a tenant that does not exist: the URL never decides the tenant", async () => {
    // Act
    const onB = await send(`${b.url}/Users/${aUserId}`, a.token);
    const onNobody = await send(`${pool.origin}/t/nobody-here/scim/v2/Users/${aUserId}`, a.token);
    // Assess
    expect(onB.status).toBe(403);
    expect(onNobody.status).toBe(403);
    expect(onB.body).toEqual(onNobody.body);
  });

  it('an unknown, malformed or absent token is 401 on every tenant URL', async () => {
    // Act
    const forged = await send(`${a.url}/Users`, `scim_${a.url.split('/t/')[1].split('/')[0]}_${'A'.repeat(43)}`);
    const none = await fetch(`${a.url}/Users`);
    // Assess
    expect(forged.status).toBe(401);
    expect(none.status).toBe(401);
  });

  it('the management API refuses SCIM credentials and unsigned requests, and SCIM refuses management', async () => {
    // Act
    const withScimToken = await send(`${pool.origin}/manage/tenants`, a.token, 'POST', { tenant: 'x-evil' });
    const unsigned = await fetch(`${pool.origin}/manage/tenants/${a.url.split('/t/')[1].split('/')[0]}/tokens`);
    // Assess
    expect(withScimToken.status).toBe(403);
    expect(unsigned.status).toBe(403);
    await expect(pool.directory.getTenant('x-evil')).resolves.toBeUndefined();
  });

  it('a tenant configuration set through the management API shows in that tenant\'s /Schemas only', async () => {
    // Prepare
    const tenantA = a.url.split('/t/')[1].split('/')[0];
    const urn = 'urn:example:params:scim:schemas:extension:badge:2.0:User';
    await pool.management.updateConfig(tenantA, { customExtensions: [{ resourceType: 'User', schema: { id: urn, name: 'Badge', attributes: [{ name: 'badgeId' }] } }] });
    // Act
    const mine = await send(`${a.url}/Schemas`, a.token);
    const theirs = await send(`${b.url}/Schemas`, b.token);
    // Assess
    expect(JSON.stringify(mine.body)).toContain(urn);
    expect(JSON.stringify(theirs.body)).not.toContain(urn);
    const withBadge = await send(`${a.url}/Users`, a.token, 'POST', { schemas: [CORE, urn], userName: `badge-${randomUUID()}`, [urn]: { badgeId: 'B-1' } });
    const refused = await send(`${b.url}/Users`, b.token, 'POST', { schemas: [CORE, urn], userName: `badge-${randomUUID()}`, [urn]: { badgeId: 'B-1' } });
    expect(withBadge.status).toBe(201);
    expect(withBadge.body[urn]).toEqual({ badgeId: 'B-1' });
    expect(refused.status).toBe(400);
  });

  it('an invalid configuration is refused with the validation problem and changes nothing', async () => {
    // Prepare
    const tenantA = a.url.split('/t/')[1].split('/')[0];
    // Act
    const err = await pool.management.updateConfig(tenantA, { customExtensions: 'nope' }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ManagementApiError);
    expect((err as ManagementApiError).status).toBe(400);
    expect((await send(`${a.url}/Users/${aUserId}`, a.token)).status).toBe(200);
  });

  it('tokens are issued, rotated and revoked per tenant; disabling a tenant refuses all its credentials and keeps its data', async () => {
    // Prepare
    const name = `c-${randomUUID().slice(0, 6)}`;
    const c = await pool.management.enableTenant(name);
    const second = await pool.management.issueToken(name, { label: 'rotation', scopes: ['scim:read'] });
    await send(`${c.scimBaseUrl}/Users`, c.token, 'POST', { schemas: [CORE], userName: 'kept@c.example' });
    // Act
    const readOnlyWrite = await send(`${c.scimBaseUrl}/Users`, second.token, 'POST', { schemas: [CORE], userName: 'x@c.example' });
    await pool.management.revokeToken(name, c.tokenId);
    const revoked = await send(`${c.scimBaseUrl}/Users`, c.token);
    const rotated = await send(`${c.scimBaseUrl}/Users`, second.token);
    await pool.management.disableTenant(name);
    const disabled = await send(`${c.scimBaseUrl}/Users`, second.token);
    await pool.management.reenableTenant(name);
    const fresh = await pool.management.issueToken(name);
    const data = await send(`${c.scimBaseUrl}/Users`, fresh.token);
    // Assess
    expect(readOnlyWrite.status).toBe(403);
    expect(revoked.status).toBe(401);
    expect(rotated.status).toBe(200);
    expect(disabled.status).toBe(401);
    expect(data.body.totalResults).toBe(1);
    expect((await pool.management.listTokens(name)).map((t) => t.id)).toContain(c.tokenId);
  });

  it('enabling an existing tenant is 409 and issues nothing', async () => {
    // Act
    const tenantA = a.url.split('/t/')[1].split('/')[0];
    const err = await pool.management.enableTenant(tenantA).catch((e: unknown) => e);
    // Assess
    expect((err as ManagementApiError).status).toBe(409);
  });

  it("property: whatever id or userName tenant B asks for, it never learns anything of tenant A's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(aUserId, aGroupId, aUserName, 'ext-a-1', 'Sales'), fc.constantFrom('Users', 'Groups'), async (probe, type) => {
        const byId = await send(`${b.url}/${type}/${encodeURIComponent(probe)}`, b.token);
        const attr = type === 'Users' ? 'userName' : 'displayName';
        const byFilter = await send(`${b.url}/${type}?filter=${encodeURIComponent(`${attr} eq "${probe}" or externalId eq "${probe}" or id eq "${probe}"`)}`, b.token);
        expect(byId.status).toBe(404);
        const leaked = (byFilter.body?.Resources ?? []).filter((r: { id: string }) => r.id === aUserId || r.id === aGroupId);
        expect(leaked).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});

describe("tenant B's probes of tenant A's resources cost what probes of nothing cost", () => {
  // B must not learn that A's resources exist, not even by the timing of its errors. A
  // response's time here is its DynamoDB work (the rest is the same code path), so the test holds
  // the cause of a timing difference, deterministically: the same requests, of the same commands,
  // consuming the same capacity, for "not yours" as for "not there".
  let pool: LocalPool;
  let a: { url: string; token: string };
  let b: { url: string; token: string };
  let aUserId: string;
  let aGroupId: string;
  const aUserName = `carol-${randomUUID().slice(0, 8)}@a.example`;

  beforeAll(async () => {
    // Long caches, so an authorizer or configuration reload cannot land in one probe and not its twin.
    pool = await startPool({ authorizerCacheTtlMs: 600_000, configTtlMs: 600_000 });
    const ea = await pool.management.enableTenant(`ta-${randomUUID().slice(0, 6)}`);
    const eb = await pool.management.enableTenant(`tb-${randomUUID().slice(0, 6)}`);
    a = { url: ea.scimBaseUrl, token: ea.token };
    b = { url: eb.scimBaseUrl, token: eb.token };
    aUserId = (await send(`${a.url}/Users`, a.token, 'POST', { schemas: [CORE], userName: aUserName, externalId: 'ext-carol' })).body.id;
    aGroupId = (await send(`${a.url}/Groups`, a.token, 'POST', { schemas: [GROUP], displayName: 'Finance', members: [{ value: aUserId }] })).body.id;
  });
  afterAll(async () => {
    await pool?.close();
  });

  const probes: Array<{ name: string; run: (theirs: boolean) => Promise<Reply> }> = [
    { name: 'GET a user', run: (theirs) => send(`${b.url}/Users/${theirs ? aUserId : randomUUID()}`, b.token) },
    { name: 'GET a group', run: (theirs) => send(`${b.url}/Groups/${theirs ? aGroupId : randomUUID()}`, b.token) },
    { name: 'filter by userName', run: (theirs) => send(`${b.url}/Users?filter=${encodeURIComponent(`userName eq "${theirs ? aUserName : `nobody-${randomUUID().slice(0, 8)}@a.example`}"`)}`, b.token) },
    { name: 'filter by externalId', run: (theirs) => send(`${b.url}/Users?filter=${encodeURIComponent(`externalId eq "${theirs ? 'ext-carol' : `ext-${randomUUID().slice(0, 5)}`}"`)}`, b.token) },
    {
      name: 'PATCH a group',
      run: (theirs) => send(`${b.url}/Groups/${theirs ? aGroupId : randomUUID()}`, b.token, 'PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: aUserId }] }] }),
    },
    { name: 'DELETE a user', run: (theirs) => send(`${b.url}/Users/${theirs ? aUserId : randomUUID()}`, b.token, 'DELETE') },
  ];

  for (const probe of probes) {
    it(`${probe.name}: the same status, body and DynamoDB work for A's resource as for one that does not exist`, async () => {
      // Prepare: one probe first, so caches are warm for both measured ones
      await probe.run(false);
      const counter = attachRequestCounter(pool.doc);
      try {
        // Act
        counter.reset();
        const theirs = await probe.run(true);
        const theirsCost = { ...counter.counts, byCommand: { ...counter.counts.byCommand } };
        counter.reset();
        const none = await probe.run(false);
        const noneCost = { ...counter.counts, byCommand: { ...counter.counts.byCommand } };
        // Assess
        const shape = (r: Reply) => JSON.stringify(r.body ?? null).replace(/[0-9a-f-]{36}/g, '<id>').replace(/(carol|nobody)-[0-9a-f]{8}@a\.example|ext-[0-9a-z-]+/g, '<name>');
        expect(theirs.status).toBe(none.status);
        expect(shape(theirs)).toBe(shape(none));
        expect(theirsCost.requests).toBeGreaterThan(0);
        expect(theirsCost).toEqual(noneCost);
      } finally {
        counter.detach();
      }
    });
  }

  it("A's user survives B's probes, still in A's group", async () => {
    // Act
    const user = await send(`${a.url}/Users/${aUserId}`, a.token);
    const group = await send(`${a.url}/Groups/${aGroupId}`, a.token);
    // Assess
    expect(user.status).toBe(200);
    expect(group.body.members.map((m: { value: string }) => m.value)).toEqual([aUserId]);
  });
});

describe('OAuth access tokens in the pool are bound to their tenant', () => {
  let pool: LocalPool;
  let a: { tenant: string; url: string; token: string; tokenUrl: string; clientId: string; clientSecret: string; accessToken: string };
  let b: { tenant: string; url: string; token: string; tokenUrl: string };
  let bUserId: string;

  beforeAll(async () => {
    pool = await startPool();
    const ta = `oa-${randomUUID().slice(0, 6)}`;
    const tb = `ob-${randomUUID().slice(0, 6)}`;
    const ea = await pool.management.enableTenant(ta, { oauth: { enabled: true } });
    const eb = await pool.management.enableTenant(tb, { oauth: { enabled: true } });
    const client = await pool.management.createClient(ta, { label: 'Entra A' });
    const issued = await requestToken(client.tokenEndpoint, { grant_type: 'client_credentials' }, { basic: { clientId: client.clientId, secret: client.clientSecret } });
    expect(issued.status).toBe(200);
    a = { tenant: ta, url: ea.scimBaseUrl, token: ea.token, tokenUrl: client.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret, accessToken: issued.body.access_token };
    b = { tenant: tb, url: eb.scimBaseUrl, token: eb.token, tokenUrl: `${pool.origin}/t/${tb}/oauth2/token` };
    const u = await send(`${b.url}/Users`, b.token, 'POST', { schemas: [CORE], userName: `bob-${randomUUID().slice(0, 8)}@b.example` });
    bUserId = u.body.id;
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("A's access token works on A's URL and names A's tenant in its claims", async () => {
    // Act
    const mine = await send(`${a.url}/Users`, a.accessToken);
    const claims = JSON.parse(Buffer.from(a.accessToken.split('.')[1], 'base64url').toString('utf8'));
    // Assess
    expect(mine.status).toBe(200);
    expect(claims).toMatchObject({ tenant: a.tenant, aud: `urn:serverless-scim:tenant:${a.tenant}`, client_id: a.clientId });
  });

  it("property: A's access token on any route of B gets what A's static token gets there, and what it gets at a tenant that does not exist", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(`/Users/${bUserId}`, '/Users', '/Groups', '/Bulk', '/ServiceProviderConfig', '/Schemas', `/Users?filter=${encodeURIComponent('userName sw "b"')}`, '/.search'),
        async (method, route) => {
          const body = method === 'GET' || method === 'DELETE' ? undefined : { schemas: [CORE], userName: 'x' };
          const oauthOnB = await send(`${b.url}${route}`, a.accessToken, method, body);
          const staticOnB = await send(`${b.url}${route}`, a.token, method, body);
          const oauthOnNobody = await send(`${pool.origin}/t/nobody-${randomUUID().slice(0, 4)}/scim/v2${route}`, a.accessToken, method, body);
          expect(oauthOnB.status).toBe(403);
          expect(oauthOnB.body).toEqual(staticOnB.body);
          expect(oauthOnB.body).toEqual(oauthOnNobody.body);
        },
      ),
      { numRuns: 20 },
    );
    expect((await send(`${b.url}/Users/${bUserId}`, b.token)).status).toBe(200);
  });

  it("A's access token with its tenant claim rewritten to B is refused like a forged token", async () => {
    // Prepare: the signature covers the claims, so the edited token is not one the pool signed
    const [h, p, sig] = a.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const edited = { ...claims, tenant: b.tenant, iss: `urn:serverless-scim:issuer:${b.tenant}`, aud: `urn:serverless-scim:tenant:${b.tenant}` };
    const forged = `${h}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${sig}`;
    // Act
    const onB = await send(`${b.url}/Users/${bUserId}`, forged);
    const garbage = await send(`${b.url}/Users/${bUserId}`, 'scim_nobody_' + 'A'.repeat(43));
    // Assess
    expect(onB.status).toBe(401);
    expect(onB.body).toEqual(garbage.body);
  });

  it("A's client credentials at B's token endpoint get what a wrong secret and a tenant that does not exist get", async () => {
    // Act
    const atB = await requestToken(b.tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId: a.clientId, secret: a.clientSecret } });
    const wrong = await requestToken(a.tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId: a.clientId, secret: `${a.clientSecret.slice(0, -4)}AAAA` } });
    const nobody = await requestToken(`${pool.origin}/t/nobody-here/oauth2/token`, { grant_type: 'client_credentials' }, { basic: { clientId: a.clientId, secret: a.clientSecret } });
    const invalidName = await requestToken(`${pool.origin}/t/NOT_A_TENANT/oauth2/token`, { grant_type: 'client_credentials' }, { basic: { clientId: a.clientId, secret: a.clientSecret } });
    // Assess
    for (const r of [atB, wrong, nobody, invalidName]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual(wrong.body);
      expect(r.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
    }
  });
});

describe('per-tenant request rate in the pool', () => {
  it("one tenant past its rate gets SCIM 429 with Retry-After while another tenant's requests go through", async () => {
    // Prepare
    const pool = await startPool({ tenantLimits: { ratePerSecond: 0.001, burst: 3 } });
    try {
      const x = await pool.management.enableTenant(`x-${randomUUID().slice(0, 6)}`);
      const y = await pool.management.enableTenant(`y-${randomUUID().slice(0, 6)}`);
      // Act
      const burst = [];
      for (let i = 0; i < 4; i++) burst.push(await send(`${x.scimBaseUrl}/Users`, x.token));
      const other = await send(`${y.scimBaseUrl}/Users`, y.token);
      // Assess
      expect(burst.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
      expect(burst[3].status).toBe(429);
      expect(burst[3].headers['retry-after']).toBeDefined();
      expect(burst[3].body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(other.status).toBe(200);
    } finally {
      await pool.close();
    }
  });
});
