import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS } from '../../lambdas/auth/oauth/constants';
import { requireUnexpired } from '../../lambdas/auth/requireUnexpired';
import { ScimError } from '../../lambdas/scim/errors';

describe('requireUnexpired', () => {
  const exp = 1_800_000_000;

  it('lets static tokens (no expiresAt) and unexpired access tokens through', () => {
    expect(() => requireUnexpired(undefined, exp * 1000 + 10_000_000)).not.toThrow();
    expect(() => requireUnexpired(String(exp), (exp + CLOCK_SKEW_SECONDS) * 1000 - 1)).not.toThrow();
  });

  it('answers 401 invalid_token once the access token is past exp and the skew, though API Gateway cached an Allow', () => {
    let error: unknown;
    try {
      requireUnexpired(String(exp), (exp + CLOCK_SKEW_SECONDS) * 1000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(401);
    expect((error as ScimError).headers?.['WWW-Authenticate']).toContain('invalid_token');
    expect(() => requireUnexpired('not-a-number', 0)).toThrow(ScimError);
  });
});
