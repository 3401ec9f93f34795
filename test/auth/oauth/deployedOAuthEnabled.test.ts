import { describe, it, expect } from 'vitest';
import { deployedOAuthEnabled } from '../../../lambdas/auth/oauth/deployedOAuthEnabled';
import { parseOAuthConfig } from '../../../lambdas/auth/oauth/oauthConfig';
import { ACCESS_TOKEN_MAX_MINUTES } from '../../../lambdas/auth/oauth/constants';

describe('deployedOAuthEnabled (discovery reads OAUTH_CONFIG without zod)', () => {
  const valid = [
    undefined,
    '',
    '{}',
    JSON.stringify({ enabled: false }),
    JSON.stringify({ enabled: true }),
    JSON.stringify({ enabled: true, accessTokenMinutes: ACCESS_TOKEN_MAX_MINUTES }),
    JSON.stringify({
      enabled: true,
      federation: [{ clientId: 'entra-app', entraTenantId: '11111111-2222-3333-4444-555555555555', subject: 'sub-1', audience: ['api://scim'] }],
    }),
  ];

  for (const text of valid) {
    it(`agrees with the full parser on ${text === undefined ? 'an absent variable' : `'${text}'`}`, () => {
      // Act / Assess
      expect(deployedOAuthEnabled(text)).toBe(parseOAuthConfig(text).enabled);
    });
  }

  it('refuses a value of the wrong kind, as the full parser does, so a foreign config fails init', () => {
    // Act / Assess
    for (const text of ['[]', 'null', '"on"', JSON.stringify({ enabled: 'true' }), JSON.stringify({ enabled: 1 })]) {
      expect(() => deployedOAuthEnabled(text), text).toThrow();
      expect(() => parseOAuthConfig(text), text).toThrow();
    }
  });
});
