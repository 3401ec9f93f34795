import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { applyPatch } from '../../lambdas/scim/patch';
import { URN, attribute } from '../../lambdas/scim/schema';
import { validateResource, type ValidateContext } from '../../lambdas/scim/validate';
import { registryWithUserExtension } from '../support/customExtension';

const EXT = 'urn:acme:params:scim:schemas:extension:Typing:2.0:User';
const registry = registryWithUserExtension(EXT, [
  attribute('flag', { type: 'boolean' }),
  attribute('count', { type: 'integer' }),
  attribute('ratio', { type: 'decimal' }),
  attribute('since', { type: 'dateTime' }),
  attribute('photo', { type: 'binary' }),
  attribute('home', { type: 'reference', referenceTypes: ['external'] }),
  attribute('code'),
  attribute('badge', { mutability: 'immutable' }),
  attribute('serial', { mutability: 'immutable', caseExact: true }),
]);
const create: ValidateContext = { registry, resourceType: 'User', mode: 'create', unknownAttributes: 'reject' };
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Outcome = { value: unknown } | { scimType?: string; detail: string };

function outcome(run: () => Record<string, unknown>): Outcome {
  try {
    return { value: (run()[EXT] as Record<string, unknown> | undefined) ?? {} };
  } catch (e) {
    if (!isScimError(e)) throw e;
    return { scimType: e.scimType, detail: e.detail };
  }
}

/** A POST body setting one extension attribute, validated as POST validates it. */
function viaPost(name: string, raw: unknown): Outcome {
  return outcome(() => validateResource({ schemas: [URN.user, EXT], userName: 'a', [EXT]: { [name]: raw } }, create));
}

/** The same value set by PATCH, as the PATCH use case runs it (applyPatch, then the whole result validated). */
function viaPatch(name: string, raw: unknown): Outcome {
  const stored = validateResource({ userName: 'a' }, create);
  return outcome(() => {
    const patched = applyPatch(stored, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: `${EXT}:${name}`, value: raw }] }, { registry, resourceType: 'User' }).resource;
    return validateResource(patched, { ...create, mode: 'replace', existing: stored });
  });
}

describe('one value-typing path for POST, PUT and PATCH', () => {
  // Each row: an attribute, a value a client sends, and what is stored (or the error's words).
  it.each<[string, unknown, { stored: unknown } | { rejected: RegExp }]>([
    ['flag', true, { stored: true }],
    ['flag', 'False', { stored: false }],
    ['flag', ' True ', { stored: true }],
    ['flag', 'yes', { rejected: /flag' must be a boolean/ }],
    ['flag', 1, { rejected: /must be a boolean/ }],
    ['count', 3, { stored: 3 }],
    ['count', 3.5, { rejected: /count' must be an integer/ }],
    ['count', '3', { rejected: /must be an integer/ }],
    ['count', 2 ** 60, { rejected: /out of range/ }],
    ['ratio', 0.25, { stored: 0.25 }],
    ['ratio', 'high', { rejected: /must be a number/ }],
    ['since', '2026-01-31T12:00:00Z', { stored: '2026-01-31T12:00:00Z' }],
    ['since', 'Jan 31 2026', { rejected: /xsd:dateTime/ }],
    ['photo', 'aGVsbG8=', { stored: 'aGVsbG8=' }],
    ['photo', 'not base64!', { rejected: /base64/ }],
    ['home', 'https://example.com/a', { stored: 'https://example.com/a' }],
    ['home', 42, { stored: '42' }],
    ['code', 701984, { stored: '701984' }],
    ['code', { a: 1 }, { rejected: /code' must be a string/ }],
    ['code', 'x'.repeat(16_385), { rejected: /longer than 16384/ }],
  ])('types %s = %j the same way in POST and PATCH', (name, raw, expected) => {
    // Act
    const post = viaPost(name, raw);
    const patch = viaPatch(name, raw);
    // Assess
    if ('stored' in expected) {
      expect(post).toEqual({ value: { [name]: expected.stored } });
      expect(patch).toEqual(post);
    } else {
      expect(post).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(expected.rejected) });
      expect(patch).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(expected.rejected) });
    }
  });
});

describe('one set of immutable and required rules for PUT and PATCH', () => {
  const stored = validateResource({ schemas: [URN.user, EXT], userName: 'a', [EXT]: { badge: 'B-1', serial: 'S-1' } }, create);
  const replace: ValidateContext = { ...create, mode: 'replace', existing: stored };
  const put = (ext: Record<string, unknown>): Outcome => outcome(() => validateResource({ schemas: [URN.user, EXT], userName: 'a', [EXT]: ext }, replace));
  const patch = (...Operations: unknown[]): Outcome =>
    outcome(() => validateResource(applyPatch(stored, { schemas: [PATCH_OP], Operations }, { registry, resourceType: 'User' }).resource, replace));

  it('accepts the stored value of an immutable attribute again, compared as its caseExact says', () => {
    // Act
    const samePut = put({ badge: 'b-1', serial: 'S-1' });
    const samePatch = patch({ op: 'replace', path: `${EXT}:badge`, value: 'b-1' });
    const otherCasePut = put({ badge: 'B-1', serial: 's-1' });
    const otherCasePatch = patch({ op: 'replace', path: `${EXT}:serial`, value: 's-1' });
    // Assess
    expect(samePut).toEqual({ value: { badge: 'b-1', serial: 'S-1' } });
    expect(samePatch).toEqual(samePut);
    expect(otherCasePut).toMatchObject({ scimType: 'mutability', detail: `Attribute '${EXT}:serial' is immutable and cannot be changed` });
    expect(otherCasePatch).toEqual(otherCasePut);
  });

  it('refuses another value with the same mutability error, and keeps the value a PUT leaves out', () => {
    // Act
    const changedPut = put({ badge: 'B-2', serial: 'S-1' });
    const changedPatch = patch({ op: 'replace', path: `${EXT}:badge`, value: 'B-2' });
    const removedByPatch = patch({ op: 'remove', path: `${EXT}:badge` });
    const omittedByPut = put({ serial: 'S-1' });
    // Assess
    expect(changedPut).toMatchObject({ scimType: 'mutability', detail: `Attribute '${EXT}:badge' is immutable and cannot be changed` });
    expect(changedPatch).toEqual(changedPut);
    expect(removedByPatch).toEqual(changedPut);
    expect(omittedByPut).toEqual({ value: { badge: 'B-1', serial: 'S-1' } });
  });

  it('refuses a PUT without userName and a PATCH removing it with the same invalidValue', () => {
    // Act
    const viaPut = outcome(() => validateResource({ schemas: [URN.user] }, replace));
    const viaPatch = patch({ op: 'remove', path: 'userName' });
    // Assess
    expect(viaPut).toEqual({ scimType: 'invalidValue', detail: "Attribute 'userName' is required" });
    expect(viaPatch).toEqual(viaPut);
  });
});
