import { describe, it, expect } from 'vitest';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createPoolAuthorizer, type PoolCredential } from '../../lambdas/auth/createPoolAuthorizer';
import { evaluatePolicy } from '../../lambdas/auth/evaluatePolicy';
import { generateToken, hashToken, tokenIdFromHash } from '../../lambdas/auth/token';
import { generateKeyPairSync, sign } from 'node:crypto';
import { accessTokenClaims, signAccessToken } from '../../lambdas/auth/oauth/accessToken';
import type { TokenSecret } from '../../lambdas/auth/tokenSecret';

const ARN = (path: string, method = 'GET') => `arn:aws:execute-api:eu-west-1:123456789012:api/prod/${method}${path}`;

function event(token: string | undefined, path: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: ARN(path),
    path,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

function setup(record: Partial<PoolCredential> = {}, tenantStatus: 'active' | 'disabled' = 'active') {
  const token = generateToken('acme');
  const sha = hashToken(token);
  const credential: PoolCredential = { tenant: 'acme', id: tokenIdFromHash(sha), label: 'okta prod', scopes: ['scim:read', 'scim:write'], ...record };
  let reads = 0;
  const authorize = createPoolAuthorizer({
    source: {
      tokenByHash: async (h) => (reads++, h === sha ? credential : undefined),
      getTenant: async (t) => (t === 'acme' ? { status: tenantStatus } : undefined),
    },
  });
  return { token, authorize, reads: () => reads };
}

describe('createPoolAuthorizer', () => {
  it("allows the token's own tenant routes only, with the tenant from the credential", async () => {
    // Prepare
    const { token, authorize } = setup();
    // Act
    const result = await authorize(event(token, '/t/acme/scim/v2/Users'));
    // Assess
    expect(result.context?.tenant).toBe('acme');
    expect(result.context?.tokenLabel).toBe('okta prod');
    expect(evaluatePolicy(result.policyDocument, ARN('/t/acme/scim/v2/Users'))).toBe(true);
    expect(evaluatePolicy(result.policyDocument, ARN('/t/other/scim/v2/Users'))).toBe(false);
    expect(evaluatePolicy(result.policyDocument, ARN('/manage/tenants', 'POST'))).toBe(false);
  });

  it("lets an events:read token pull its own tenant's events only, and reach no SCIM route", async () => {
    // Prepare
    const { token, authorize } = setup({ scopes: ['events:read'] });
    // Act
    const result = await authorize(event(token, '/t/acme/events'));
    // Assess
    expect(evaluatePolicy(result.policyDocument, ARN('/t/acme/events'))).toBe(true);
    expect(evaluatePolicy(result.policyDocument, ARN('/t/other/events'))).toBe(false);
    expect(evaluatePolicy(result.policyDocument, ARN('/t/acme/scim/v2/Users'))).toBe(false);
  });

  it.each([
    ['a revoked token', { revokedAt: '2000-01-01T00:00:00.000Z' }, 'active'],
    ['an expired token', { expiresAt: '2000-01-01T00:00:00.000Z' }, 'active'],
    ['a token of a disabled tenant', {}, 'disabled'],
  ] as const)('denies %s with 401', async (_n, record, status) => {
    // Prepare
    const { token, authorize } = setup(record, status);
    // Act / Assess
    await expect(authorize(event(token, '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
  });

  it('denies an unknown token, a malformed one and none with 401', async () => {
    // Prepare
    const { authorize } = setup();
    // Act / Assess
    await expect(authorize(event(generateToken('acme'), '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
    await expect(authorize(event('not-a-token', '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
    await expect(authorize(event(undefined, '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
  });

  it('caches a token lookup: a warm request makes no read', async () => {
    // Prepare
    const { token, authorize, reads } = setup();
    await authorize(event(token, '/t/acme/scim/v2/Users'));
    // Act
    await authorize(event(token, '/t/acme/scim/v2/Groups'));
    // Assess
    expect(reads()).toBe(1);
  });

  describe('OAuth access tokens', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signer = { kid: 'pool-key', sign: async (input: Uint8Array) => new Uint8Array(sign('sha256', input, privateKey)) };
    const client = { id: 'cli_0123456789abcdef', label: 'Entra A', scopes: ['scim:read', 'scim:write'] as const, createdAt: '2026-01-01T00:00:00.000Z', secrets: [{ id: 'sec_000000000000', sha256: '0'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' }] };
    const clients: TokenSecret = { version: 1, tenant: 'acme', tokens: [], clients: [{ ...client, scopes: [...client.scopes] }] };
    const tokenOf = (tenant: string) =>
      signAccessToken(signer, accessTokenClaims({ tenant, clientId: client.id, scopes: ['scim:read'], method: 'client_secret', secretId: client.secrets[0].id }, Date.now(), 3600));
    const authorizer = (oauth: unknown, withKey = true) =>
      createPoolAuthorizer({
        source: { tokenByHash: async () => undefined, getTenant: async (t) => (t === 'acme' || t === 'beta' ? { status: 'active', oauth } : undefined) },
        ...(withKey ? { accessTokens: { kid: 'pool-key', loadPublicKey: async () => publicKey, readClients: async (t: string) => (t === 'acme' ? clients : { version: 1 as const, tenant: t, tokens: [] }) } } : {}),
      });

    it("allows an access token on its own tenant's routes only, with the client as the actor and its exp for the handlers", async () => {
      const result = await authorizer({ enabled: true })(event(await tokenOf('acme'), '/t/acme/scim/v2/Users'));
      expect(result.context).toMatchObject({ tenant: 'acme', tokenId: client.id, tokenLabel: 'Entra A', scopes: 'scim:read' });
      expect(Number(result.context?.expiresAt)).toBeGreaterThan(Date.now() / 1000);
      expect(evaluatePolicy(result.policyDocument, ARN('/t/beta/scim/v2/Users'))).toBe(false);
    });

    it('refuses an access token when the pool has no signing key, OAuth is off for its tenant, or its client is unknown there', async () => {
      const acme = await tokenOf('acme');
      await expect(authorizer({ enabled: true }, false)(event(acme, '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
      await expect(authorizer({ enabled: false })(event(acme, '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
      await expect(authorizer(undefined)(event(acme, '/t/acme/scim/v2/Users'))).rejects.toThrow('Unauthorized');
      await expect(authorizer({ enabled: true })(event(await tokenOf('beta'), '/t/beta/scim/v2/Users'))).rejects.toThrow('Unauthorized');
    });
  });
});
