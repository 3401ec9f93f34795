import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { JWT_BEARER_ASSERTION_TYPE } from '../../lambdas/auth/oauth/constants';
import { startLocalPool, type LocalPool } from '../../lambdas/local/startLocalPool';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { startFakeEntra, type FakeEntra } from '../support/entraIssuer';
import { requestToken } from '../support/oauthClient';

const scim = async (url: string, token: string) => {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('OAuth per pooled tenant: settings, clients and federation through the management API', () => {
  let pool: LocalPool;
  let entra: FakeEntra;

  beforeAll(async () => {
    entra = await startFakeEntra();
    pool = await startLocalPool({
      dataDir: mkdtempSync(join(tmpdir(), 'scim-pool-oauth-')),
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `pooloauth-${randomUUID().slice(0, 8)}`,
      configTtlMs: 0,
      authorizerCacheTtlMs: 0,
      changeFeed: false,
    });
  });
  afterAll(async () => {
    await pool?.close();
    await entra?.close();
  });

  const enable = async (oauth?: unknown) => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const enabled = await pool.management.enableTenant(tenant, oauth === undefined ? {} : { oauth });
    return { ...enabled, tenant, tokenUrl: `${pool.origin}/t/${tenant}/oauth2/token` };
  };
  const clientToken = (tokenUrl: string, clientId: string, secret: string) => requestToken(tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId, secret } });

  it("a tenant's /ServiceProviderConfig lists OAuth with its own token endpoint only once OAuth is on for it", async () => {
    // Prepare
    const t = await enable();
    const before = await scim(`${t.scimBaseUrl}/ServiceProviderConfig`, t.token);
    // Act
    const set = await pool.management.setOAuth(t.tenant, { enabled: true, accessTokenMinutes: 120 });
    const after = await scim(`${t.scimBaseUrl}/ServiceProviderConfig`, t.token);
    // Assess
    expect(before.body.authenticationSchemes.map((s: { type: string }) => s.type)).toEqual(['oauthbearertoken']);
    expect(after.body.authenticationSchemes.map((s: { type: string }) => s.type)).toEqual(['oauthbearertoken', 'oauth2']);
    expect(after.body.authenticationSchemes[1].description).toContain(t.tokenUrl);
    expect(set).toEqual({ oauth: { enabled: true, accessTokenMinutes: 120, federation: [] }, tokenEndpoint: t.tokenUrl });
  });

  it('a client secret is shown once, buys an access token of the configured lifetime that the SCIM API accepts, and is never listed', async () => {
    // Prepare
    const t = await enable({ enabled: true, accessTokenMinutes: 90 });
    // Act
    const client = await pool.management.createClient(t.tenant, { label: 'Entra gallery', scopes: ['scim:read'] });
    const issued = await clientToken(client.tokenEndpoint, client.clientId, client.clientSecret);
    const read = await scim(`${t.scimBaseUrl}/Users`, issued.body.access_token);
    const write = await fetch(`${t.scimBaseUrl}/Users`, { method: 'POST', headers: { Authorization: `Bearer ${issued.body.access_token}`, 'Content-Type': 'application/scim+json' }, body: '{}' });
    const listed = await pool.management.listClients(t.tenant);
    // Assess
    expect(client.clientSecret).toMatch(new RegExp(`^scimcs_${t.tenant}_`));
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 5400, scope: 'scim:read' });
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: client.clientId, label: 'Entra gallery', status: 'active' });
    expect(JSON.stringify(listed)).not.toContain(client.clientSecret);
  });

  it('rotation: two secrets work at once; revoking the old one stops it and the access tokens it bought; the last one is kept unless forced', async () => {
    // Prepare
    const t = await enable({ enabled: true });
    const client = await pool.management.createClient(t.tenant);
    const oldToken = (await clientToken(t.tokenUrl, client.clientId, client.clientSecret)).body.access_token;
    // Act
    const second = await pool.management.addClientSecret(t.tenant, client.clientId);
    const bothWork = [await clientToken(t.tokenUrl, client.clientId, client.clientSecret), await clientToken(t.tokenUrl, client.clientId, second.clientSecret)].map((r) => r.status);
    await pool.management.revokeClientSecret(t.tenant, client.clientId, client.secretId);
    const oldSecret = await clientToken(t.tokenUrl, client.clientId, client.clientSecret);
    const oldAccess = await scim(`${t.scimBaseUrl}/Users`, oldToken);
    const newToken = (await clientToken(t.tokenUrl, client.clientId, second.clientSecret)).body.access_token;
    const lastRefused = await pool.management.revokeClientSecret(t.tenant, client.clientId, second.secretId).catch((e: unknown) => e);
    // Assess
    expect(bothWork).toEqual([200, 200]);
    expect(oldSecret.status).toBe(401);
    expect(oldSecret.body.error).toBe('invalid_client');
    expect(oldAccess.status).toBe(401);
    expect((await scim(`${t.scimBaseUrl}/Users`, newToken)).status).toBe(200);
    expect((lastRefused as ManagementApiError).status).toBe(409);
    // Act + Assess: forced, and then revoking the client ends everything
    await pool.management.revokeClientSecret(t.tenant, client.clientId, second.secretId, { force: true });
    expect((await scim(`${t.scimBaseUrl}/Users`, newToken)).status).toBe(401);
    const other = await pool.management.createClient(t.tenant);
    const otherToken = (await clientToken(t.tokenUrl, other.clientId, other.clientSecret)).body.access_token;
    await pool.management.revokeClient(t.tenant, other.clientId);
    expect((await scim(`${t.scimBaseUrl}/Users`, otherToken)).status).toBe(401);
    expect((await clientToken(t.tokenUrl, other.clientId, other.clientSecret)).status).toBe(401);
  });

  it("Workload Identity Federation per tenant: Entra's assertion buys a token at its tenant only, and removing the entry stops the tokens", async () => {
    // Prepare
    const federation = [{ clientId: 'entra-wif', entraTenantId: entra.tenantId, subject: entra.subject, audience: [entra.audience], jwksUri: entra.jwksUri }];
    const t = await enable({ enabled: true, federation });
    const other = await enable({ enabled: true });
    const form = async () => ({ grant_type: 'client_credentials', client_id: 'entra-wif', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: await entra.assertion(Date.now()) });
    // Act
    const issued = await requestToken(t.tokenUrl, await form());
    const elsewhere = await requestToken(other.tokenUrl, await form());
    const works = await scim(`${t.scimBaseUrl}/Users`, issued.body.access_token);
    await pool.management.setOAuth(t.tenant, { enabled: true, federation: [] });
    const afterRemoval = await scim(`${t.scimBaseUrl}/Users`, issued.body.access_token);
    const noMoreTokens = await requestToken(t.tokenUrl, await form());
    // Assess
    expect(issued.status).toBe(200);
    expect(works.status).toBe(200);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error).toBe('invalid_client');
    expect(afterRemoval.status).toBe(401);
    expect(noMoreTokens.status).toBe(401);
  });

  it('OAuth turned off, or the tenant disabled, refuses its access tokens and its token endpoint answers like a tenant that does not exist', async () => {
    // Prepare
    const t = await enable({ enabled: true });
    const client = await pool.management.createClient(t.tenant);
    const access = (await clientToken(t.tokenUrl, client.clientId, client.clientSecret)).body.access_token;
    const nobody = await clientToken(`${pool.origin}/t/nobody-${randomUUID().slice(0, 6)}/oauth2/token`, client.clientId, client.clientSecret);
    // Act
    await pool.management.setOAuth(t.tenant, { enabled: false });
    const off = { scim: await scim(`${t.scimBaseUrl}/Users`, access), token: await clientToken(t.tokenUrl, client.clientId, client.clientSecret) };
    await pool.management.setOAuth(t.tenant, { enabled: true });
    const on = await clientToken(t.tokenUrl, client.clientId, client.clientSecret);
    await pool.management.disableTenant(t.tenant);
    const disabled = { scim: await scim(`${t.scimBaseUrl}/Users`, access), token: await clientToken(t.tokenUrl, client.clientId, client.clientSecret) };
    await pool.management.reenableTenant(t.tenant);
    const clients = await pool.management.listClients(t.tenant);
    // Assess
    expect(off.scim.status).toBe(401);
    expect(off.token.status).toBe(401);
    expect(off.token.body).toEqual(nobody.body);
    expect(on.status).toBe(200);
    expect(disabled.scim.status).toBe(401);
    expect(disabled.token.body).toEqual(nobody.body);
    // Disabling revoked the client: re-enabling does not bring it back.
    expect(clients.map((c) => c.status)).toEqual(['revoked']);
  });

  it('invalid OAuth settings are refused with the validation problem and change nothing', async () => {
    // Prepare
    const t = await enable({ enabled: true, accessTokenMinutes: 60 });
    // Act
    const tooLong = await pool.management.setOAuth(t.tenant, { enabled: true, accessTokenMinutes: 100_000 }).catch((e: unknown) => e);
    const unknownKey = await pool.management.setOAuth(t.tenant, { enabled: true, secret: 'x' }).catch((e: unknown) => e);
    const badFederation = await pool.management.setOAuth(t.tenant, { enabled: true, federation: [{ clientId: 'cli_reserved', entraTenantId: 'nope', subject: 's', audience: [] }] }).catch((e: unknown) => e);
    const atEnable = await pool.management.enableTenant(`x-${randomUUID().slice(0, 6)}`, { oauth: { enabled: 'yes' } }).catch((e: unknown) => e);
    // Assess
    for (const e of [tooLong, unknownKey, badFederation, atEnable]) {
      expect(e).toBeInstanceOf(ManagementApiError);
      expect((e as ManagementApiError).status).toBe(400);
      expect((e as ManagementApiError).code).toBe('invalid_config');
    }
    expect((tooLong as Error).message).toContain('accessTokenMinutes');
    expect((await pool.management.getOAuth(t.tenant)).oauth.accessTokenMinutes).toBe(60);
  });

  it('client routes answer 404 for an unknown client or tenant and 409 for a disabled tenant, never a 500', async () => {
    // Prepare
    const t = await enable({ enabled: true });
    // Act
    const unknownClient = await pool.management.addClientSecret(t.tenant, 'cli_0000000000000000').catch((e: unknown) => e);
    const unknownTenant = await pool.management.createClient('nobody-at-all').catch((e: unknown) => e);
    await pool.management.disableTenant(t.tenant);
    const disabled = await pool.management.createClient(t.tenant).catch((e: unknown) => e);
    // Assess
    expect((unknownClient as ManagementApiError).status).toBe(404);
    expect((unknownTenant as ManagementApiError).status).toBe(404);
    expect((disabled as ManagementApiError).status).toBe(409);
  });
});
