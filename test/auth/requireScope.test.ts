import { describe, expect, it } from 'vitest';
import { requireScope } from '../../lambdas/auth/requireScope';
import { ScimError } from '../../lambdas/scim/errors';

describe('requireScope', () => {
  it.each([
    ['GET', '/scim/v2/Users'],
    ['GET', '/scim/v2/ServiceProviderConfig'],
    ['POST', '/scim/v2/Users/.search'],
    ['post', '/scim/v2/.search'],
  ])('lets a read-only token %s %s', (method, path) => {
    expect(() => requireScope('scim:read', method, path)).not.toThrow();
  });

  it.each([
    ['POST', '/scim/v2/Users'],
    ['PATCH', '/scim/v2/Groups/1'],
    ['PUT', '/scim/v2/Users/1'],
    ['DELETE', '/scim/v2/Users/1'],
    ['POST', '/scim/v2/Bulk'],
    ['POST', '/scim/v2/Users/.searchx'],
  ])('answers 403 naming scim:write to a read-only token on %s %s', (method, path) => {
    let error: unknown;
    try {
      requireScope('scim:read', method, path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(403);
    expect((error as ScimError).toBody().detail).toContain('scim:write');
  });

  it('lets a read+write token do anything and denies a missing scope list', () => {
    expect(() => requireScope('scim:read scim:write', 'DELETE', '/scim/v2/Users/1')).not.toThrow();
    expect(() => requireScope(undefined, 'GET', '/scim/v2/Users')).toThrow(/scim:read/);
  });
});
