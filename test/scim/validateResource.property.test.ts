import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { SchemaRegistry, URN } from '../../lambdas/scim/schema';
import { validateResource, type ValidateContext } from '../../lambdas/scim/validate';

const registry = new SchemaRegistry();
const contexts: ValidateContext[] = [
  { registry, resourceType: 'User', mode: 'create', unknownAttributes: 'reject' },
  { registry, resourceType: 'User', mode: 'create', unknownAttributes: 'ignore' },
  { registry, resourceType: 'Group', mode: 'create', unknownAttributes: 'ignore' },
];

/** Keys real bodies use, in random case, mixed with arbitrary ones. */
const key = fc.oneof(
  fc.constantFrom('userName', 'USERNAME', 'displayName', 'name', 'emails', 'active', 'members', 'meta', 'id', 'groups', 'password', 'schemas', URN.enterpriseUser, `${URN.enterpriseUser}:manager`, 'urn:x:y'),
  fc.string({ maxLength: 8 }),
);
const body = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });

describe('validateResource (properties)', () => {
  it('answers any JSON body with a canonical resource or a SCIM 400, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.jsonValue()), fc.constantFrom(...contexts), (input, ctx) => {
        try {
          validateResource(input, ctx);
        } catch (e) {
          expect(isScimError(e) && e.status === 400).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: validating its own output changes nothing', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...contexts), (input, ctx) => {
        let out: Record<string, unknown>;
        try {
          out = validateResource({ userName: 'u', displayName: 'd', ...input }, ctx);
        } catch {
          return;
        }
        expect(validateResource(out, ctx)).toEqual(out);
      }),
      { numRuns: 2000 },
    );
  });
});
