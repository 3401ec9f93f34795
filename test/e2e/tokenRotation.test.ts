import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { listTokens, revokeToken, rotateToken } from '../../lambdas/auth/tokenStore';
import { LOCAL_SECRET_CACHE_TTL_MS } from '../../lambdas/auth/constants';
import { LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { startTestServer, type TestServer } from '../support/localStack';

describe('token rotation on the local server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = async (token: string) =>
    (await fetch(`${server.baseUrl}/Users?filter=userName eq "nobody"`, { headers: { Authorization: `Bearer ${token}` } })).status;

  it('rotates with no failed request in a loop running across create-new, switch, revoke-old', async () => {
    // Prepare: an IdP worker calling in a loop with whatever token it currently holds
    const source = LocalFileSecretSource.inDataDir(server.dataDir);
    const [old] = await listTokens(source, { tenant: LOCAL_TENANT });
    let current = server.token;
    const statuses: number[] = [];
    let running = true;
    const worker = (async () => {
      while (running) statuses.push(await call(current));
    })();

    // Act: create the new token while the old stays valid, "paste" it into the IdP, revoke the old
    await new Promise((r) => setTimeout(r, 200));
    const rotated = await rotateToken(source, { tenant: LOCAL_TENANT, replaces: old.id, label: 'rotated' });
    await new Promise((r) => setTimeout(r, LOCAL_SECRET_CACHE_TTL_MS + 300)); // the authorizer re-reads the secret
    current = rotated.token;
    await new Promise((r) => setTimeout(r, 200));
    await revokeToken(source, { tenant: LOCAL_TENANT, id: old.id });
    await new Promise((r) => setTimeout(r, LOCAL_SECRET_CACHE_TTL_MS + 300));
    running = false;
    await worker;

    // Assess: every call of the loop succeeded; the old token is refused after revocation
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await call(server.token)).toBe(401);
    expect(await call(rotated.token)).toBe(200);
  });

  it('refuses writes with a read-only token but lets it read and search', async () => {
    const source = LocalFileSecretSource.inDataDir(server.dataDir);
    const readOnly = await rotateToken(source, { tenant: LOCAL_TENANT, label: 'inventory', scopes: ['scim:read'] });
    await new Promise((r) => setTimeout(r, LOCAL_SECRET_CACHE_TTL_MS + 300));
    const headers = { Authorization: `Bearer ${readOnly.token}`, 'Content-Type': 'application/scim+json' };
    const write = await fetch(`${server.baseUrl}/Users`, { method: 'POST', headers, body: JSON.stringify({ userName: 'ro@example.com' }) });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { schemas: string[] }).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect((await fetch(`${server.baseUrl}/Users`, { headers })).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/Users/.search`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
  });
});
