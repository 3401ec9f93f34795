import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRET_CACHE_TTL_MS } from '../../lambdas/auth/constants';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { addClientSecret, createClient, revokeClient, revokeClientSecret } from '../../lambdas/auth/oauth/clientStore';
import { CLOCK_SKEW_SECONDS } from '../../lambdas/auth/oauth/constants';
import { LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { startTestServer, type TestServer } from '../support/localStack';
import { requestToken } from '../support/oauthClient';

describe('OAuth client credentials on the local server', () => {
  let server: TestServer;
  // One clock for the CLI, the token endpoint and the authorizer, moved forward instead of sleeping.
  let clock = Date.now();
  const now = () => clock;
  const passCache = () => (clock += LOCAL_SECRET_CACHE_TTL_MS + 1);
  let source: LocalFileSecretSource;

  beforeAll(async () => {
    server = await startTestServer({ oauth: { enabled: true, accessTokenMinutes: 90 }, now });
    source = LocalFileSecretSource.inDataDir(server.dataDir);
  });
  afterAll(async () => {
    await server?.close();
  });

  const scim = async (accessToken: string, method = 'GET', path = '/Users?filter=userName eq "nobody"', body?: unknown) =>
    (
      await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).status;

  it('issues a token for client_secret_basic that the SCIM API accepts, and it expires', async () => {
    // Prepare
    const created = await createClient(source, { tenant: LOCAL_TENANT, label: 'Entra gallery', now });
    passCache();

    // Act
    const reply = await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId: created.client.id, secret: created.clientSecret } });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 90 * 60, scope: 'scim:read scim:write' });
    const token = reply.body.access_token as string;
    expect(await scim(token)).toBe(200);
    expect(await scim(token, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'oauth@example.com' })).toBe(201);
    clock += 90 * 60_000 - 1_000;
    expect(await scim(token)).toBe(200);
    clock += (CLOCK_SKEW_SECONDS + 2) * 1000;
    expect(await scim(token)).toBe(401);
  });

  it('accepts client_secret_post and honours a narrower scope', async () => {
    const created = await createClient(source, { tenant: LOCAL_TENANT, label: 'inventory', now });
    passCache();
    const reply = await requestToken(server.tokenUrl, {
      grant_type: 'client_credentials',
      client_id: created.client.id,
      client_secret: created.clientSecret,
      scope: 'scim:read',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.scope).toBe('scim:read');
    expect(await scim(reply.body.access_token)).toBe(200);
    expect(await scim(reply.body.access_token, 'POST', '/Users', { userName: 'ro@example.com' })).toBe(403);
  });

  it('rotates without downtime: both secrets work, then the revoked one and its tokens fail', async () => {
    // Prepare: a client with an old secret and a token issued with it
    const created = await createClient(source, { tenant: LOCAL_TENANT, label: 'rotating', now });
    passCache();
    const oldCreds = { clientId: created.client.id, secret: created.clientSecret };
    const oldToken = (await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: oldCreds })).body.access_token as string;

    // Act: add a second secret; both work
    const added = await addClientSecret(source, { tenant: LOCAL_TENANT, clientId: created.client.id, now });
    passCache();
    const newCreds = { clientId: created.client.id, secret: added.clientSecret };
    const viaOld = await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: oldCreds });
    const viaNew = await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: newCreds });
    expect([viaOld.status, viaNew.status]).toEqual([200, 200]);
    expect(await scim(oldToken)).toBe(200);

    // Act: revoke the old secret
    await revokeClientSecret(source, { tenant: LOCAL_TENANT, clientId: created.client.id, secretId: created.secret.id, now });
    passCache();

    // Assess: the old secret and tokens it issued fail; the new ones keep working
    const refused = await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: oldCreds });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    expect(await scim(oldToken)).toBe(401);
    expect(await scim(viaOld.body.access_token)).toBe(401);
    expect(await scim(viaNew.body.access_token)).toBe(200);

    // Act: revoke the client; its remaining tokens stop too
    await revokeClient(source, { tenant: LOCAL_TENANT, clientId: created.client.id, now });
    passCache();
    expect(await scim(viaNew.body.access_token)).toBe(401);
    expect((await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: newCreds })).status).toBe(401);
  });

  it('keeps static bearer tokens working beside OAuth', async () => {
    expect(await scim(server.token)).toBe(200);
  });

  it('refuses a token whose signature was tampered with', async () => {
    const created = await createClient(source, { tenant: LOCAL_TENANT, label: 'tamper', now });
    passCache();
    const token = (await requestToken(server.tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId: created.client.id, secret: created.clientSecret } })).body
      .access_token as string;
    const [h, p] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'scim:read scim:write', tenant: 'other' })).toString('base64url')}.${token.split('.')[2]}`;
    expect(await scim(forged)).toBe(401);
    expect(await scim(`${h}.${p}.`)).toBe(401);
  });

  it('advertises the OAuth scheme and its token endpoint in /ServiceProviderConfig', async () => {
    const reply = await server.request('GET', '/ServiceProviderConfig');
    const schemes = reply.body.authenticationSchemes as Array<{ type: string; description: string }>;
    expect(schemes.map((s) => s.type)).toEqual(['oauthbearertoken', 'oauth2']);
    expect(schemes[1].description).toContain(server.tokenUrl);
  });
});

describe('a local server with OAuth disabled', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists only the bearer scheme and serves no token endpoint', async () => {
    const reply = await server.request('GET', '/ServiceProviderConfig');
    expect((reply.body.authenticationSchemes as Array<{ type: string }>).map((s) => s.type)).toEqual(['oauthbearertoken']);
    expect((await requestToken(server.tokenUrl, { grant_type: 'client_credentials' })).status).toBe(404);
  });
});
