import { describe, it, expect } from 'vitest';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createPoolAuthorizer, type PoolCredential } from '../../lambdas/auth/createPoolAuthorizer';
import { evaluatePolicy } from '../../lambdas/auth/evaluatePolicy';
import { generateToken, hashToken, tokenIdFromHash } from '../../lambdas/auth/token';

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
});
