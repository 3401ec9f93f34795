import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isScimError, type ScimErrorType } from '../../lambdas/scim/errors';
import { applyPatch, MAX_PATCH_OPERATIONS, type MemberDelta, type PatchContext } from '../../lambdas/scim/patch';
import { attribute } from '../../lambdas/scim/schema';
import fixture from './fixtures/patch-cases.json';
import { registryWithUserExtension } from '../support/customExtension';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:acme:scim:schemas:extension:acme:1.0:User';
const registry = registryWithUserExtension(CUSTOM, [
  attribute('badge', { mutability: 'immutable' }),
  attribute('level', { type: 'integer' }),
  attribute('hired', { type: 'dateTime' }),
  attribute('tags', { multiValued: true }),
]);
const users: PatchContext = { registry, resourceType: 'User' };
const groups: PatchContext = { registry, resourceType: 'Group' };

type Json = Record<string, unknown>;
const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

function scimFailure(run: () => unknown): { scimType?: ScimErrorType; detail: string } {
  try {
    run();
  } catch (e) {
    if (!isScimError(e)) throw e;
    expect(e.status).toBe(400);
    return { scimType: e.scimType, detail: e.detail };
  }
  throw new Error('no error');
}

describe('applyPatch on users', () => {
  it.each(fixture.cases)('$name', ({ before, operations, after }) => {
    // Prepare
    const resource = (fixture.users as Record<string, Json>)[before] as Json;
    const snapshot = structuredClone(resource);
    const expected: Json = structuredClone(resource);
    for (const [k, v] of Object.entries(after)) {
      if (v === null) delete expected[k];
      else expected[k] = v;
    }
    // Act
    const result = applyPatch(resource, body(...operations), users);
    // Assess
    expect(result.resource).toEqual(expected);
    expect(result.changed).toBe(Object.keys(after).length > 0);
    expect(result.memberDelta).toBeUndefined();
    expect(resource).toEqual(snapshot);
  });

  it('accepts the PatchOp URN and the body keys in any case', () => {
    // Act
    const result = applyPatch({ userName: 'a' }, { SCHEMAS: [PATCH_OP.toUpperCase()], operations: [{ OP: 'REPLACE', Path: 'title', Value: 'x' }] }, users);
    // Assess
    expect(result.resource).toEqual({ userName: 'a', title: 'x' });
  });

  it('sets, checks and protects custom extension attributes', () => {
    // Prepare
    const resource = { userName: 'a', [CUSTOM]: { badge: 'B1' } };
    // Act
    const same = applyPatch(resource, body({ op: 'replace', path: `${CUSTOM}:badge`, value: 'B1' }, { op: 'add', path: `${CUSTOM}:tags`, value: 'x' }), users);
    // Assess
    expect(same.resource).toEqual({ userName: 'a', [CUSTOM]: { badge: 'B1', tags: ['x'] } });
    expect(applyPatch({ userName: 'a' }, body({ op: 'add', path: `${CUSTOM}:badge`, value: 'B2' }), users).resource).toEqual({ userName: 'a', [CUSTOM]: { badge: 'B2' } });
    expect(scimFailure(() => applyPatch(resource, body({ op: 'replace', path: `${CUSTOM}:badge`, value: 'B2' }), users)).scimType).toBe('mutability');
    expect(scimFailure(() => applyPatch(resource, body({ op: 'remove', path: `${CUSTOM}:badge` }), users)).scimType).toBe('mutability');
  });

  it('reports no change when the patch sets what is already there', () => {
    const result = applyPatch({ userName: 'a', active: true }, body({ op: 'Replace', path: 'active', value: 'True' }), users);
    expect(result.changed).toBe(false);
  });

  it.each<[string, unknown, unknown[], ScimErrorType, RegExp]>([
    ['a body without the PatchOp schema', { userName: 'a' }, [{ schemas: ['x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }], 'invalidSyntax', /PatchOp/],
    ['an empty Operations array', { userName: 'a' }, [{ schemas: [PATCH_OP], Operations: [] }], 'invalidSyntax', /non-empty/],
    ['too many operations', { userName: 'a' }, [body(...Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: 'add', path: 'title', value: 'x' })))], 'invalidSyntax', /at most/],
    ['an unknown op', { userName: 'a' }, [body({ op: 'merge', path: 'title', value: 'x' })], 'invalidSyntax', /Operations\[0\]/],
    ['remove without path', { userName: 'a' }, [body({ op: 'remove' })], 'noTarget', /needs a "path"/],
    ['an unknown attribute in a path', { userName: 'a' }, [body({ op: 'add', path: 'nosuch', value: 'x' })], 'invalidPath', /Unknown attribute "nosuch"/],
    ['an unknown sub-attribute in a path', { userName: 'a' }, [body({ op: 'add', path: 'name.nosuch', value: 'x' })], 'invalidPath', /no sub-attribute "nosuch"/],
    ['an unknown sub-attribute in a path filter', { userName: 'a' }, [body({ op: 'add', path: 'emails[nosuch eq "x"].value', value: 'x' })], 'invalidPath', /nosuch/],
    ['a malformed path', { userName: 'a' }, [body({ op: 'add', path: 'emails[type eq', value: 'x' })], 'invalidPath', /position/],
    ['an unknown key in a no-path value', { userName: 'a' }, [body({ op: 'add', value: { nosuch: 'x' } })], 'invalidSyntax', /Unknown attribute "nosuch"/],
    ['an unknown sub-attribute in a value', { userName: 'a' }, [body({ op: 'add', path: 'name', value: { nosuch: 'x' } })], 'invalidSyntax', /no sub-attribute "nosuch"/],
    ['a no-path add whose value is not an object', { userName: 'a' }, [body({ op: 'add', value: 'x' })], 'invalidSyntax', /object "value"/],
    ['a non-boolean for a boolean', { userName: 'a' }, [body({ op: 'replace', path: 'active', value: 'yes' })], 'invalidValue', /boolean/],
    ['a number for a boolean', { userName: 'a' }, [body({ op: 'replace', path: 'active', value: 1 })], 'invalidValue', /boolean/],
    ['an object for a string', { userName: 'a' }, [body({ op: 'replace', path: 'title', value: { a: 1 } })], 'invalidValue', /string/],
    ['a string for an integer', { userName: 'a' }, [body({ op: 'replace', path: `${CUSTOM}:level`, value: 'three' })], 'invalidValue', /integer/],
    ['a bad dateTime', { userName: 'a' }, [body({ op: 'replace', path: `${CUSTOM}:hired`, value: 'someday' })], 'invalidValue', /dateTime/],
    ['an array for a single-valued attribute', { userName: 'a' }, [body({ op: 'replace', path: 'title', value: ['a', 'b'] })], 'invalidValue', /single-valued/],
    ['add without value', { userName: 'a' }, [body({ op: 'add', path: 'title' })], 'invalidValue', /needs a "value"/],
    ['a different id', { id: 'u1', userName: 'a' }, [body({ op: 'replace', value: { id: 'u2' } })], 'mutability', /"id" is readOnly/],
    ['removing id', { id: 'u1', userName: 'a' }, [body({ op: 'remove', path: 'id' })], 'mutability', /readOnly/],
    ['removing the required userName', { userName: 'a' }, [body({ op: 'remove', path: 'userName' })], 'invalidValue', /required/],
    ['two primaries in one value', { userName: 'a' }, [body({ op: 'add', path: 'emails', value: [{ value: 'a', primary: true }, { value: 'b', primary: true }] })], 'invalidValue', /primary/],
    ['a filter on a simple attribute', { userName: 'a' }, [body({ op: 'replace', path: 'title[value eq "x"]', value: 'x' })], 'invalidPath', /not complex/],
    ['a filtered add that matches nothing and says nothing to create', { userName: 'a' }, [body({ op: 'add', path: 'emails[value co "x"].type', value: 'work' })], 'noTarget', /matches/],
  ])('rejects %s', (_, resource, [request], scimType, detail) => {
    // Prepare
    const snapshot = structuredClone(resource);
    // Act
    const error = scimFailure(() => applyPatch(resource as Json, request, users));
    // Assess
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toMatch(detail);
    expect(resource).toEqual(snapshot);
  });

  describe('readOnly attributes (RFC 7644 §3.5.2: "An operation that is not compatible with an attribute\'s mutability ... SHALL return the appropriate HTTP response status code")', () => {
    const resource: Json = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      id: 'u1',
      userName: 'a',
      [ENTERPRISE]: { manager: { value: 'm1', displayName: 'Boss' } },
    };
    const cases: [string, unknown][] = [
      ['id', 'other'],
      ['meta', { version: 'W/"9"' }],
      ['meta.version', 'W/"9"'],
      ['meta.created', '2020-01-01T00:00:00Z'],
      ['meta.lastModified', '2020-01-01T00:00:00Z'],
      ['meta.resourceType', 'Group'],
      ['meta.location', 'https://elsewhere/Users/u1'],
      ['groups', [{ value: 'g1' }]],
      ['groups.value', 'g1'],
      ['groups[value eq "g1"].display', 'G'],
      ['schemas', ['urn:x']],
      [`${ENTERPRISE}:manager.displayName`, 'Someone'],
    ];
    const forms = cases.flatMap(([path, value]) => [
      [`add with path ${path}`, { op: 'add', path, value }],
      [`replace with path ${path}`, { op: 'replace', path, value }],
      [`Remove with path ${path}`, { op: 'Remove', path }],
      ...(path.includes('[') || path === 'schemas' ? [] : [[`add without path, key ${path}`, { op: 'add', value: { [path]: value } }], [`replace without path, key ${path}`, { op: 'replace', value: { [path]: value } }]]),
    ]) as [string, unknown][];
    it.each(forms)('rejects %s with mutability, changing nothing', (_, operation) => {
      // Prepare
      const snapshot = structuredClone(resource);
      // Act
      const error = scimFailure(() => applyPatch(resource, body(operation), users));
      // Assess
      expect(error.scimType).toBe('mutability');
      expect(error.detail).toMatch(/readOnly/);
      expect(resource).toEqual(snapshot);
    });

    it('rejects meta inside a no-path value beside a real change, and the change is not applied', () => {
      const error = scimFailure(() => applyPatch(resource, body({ op: 'replace', value: { displayName: 'B', meta: { version: 'x' } } }), users));
      expect(error.scimType).toBe('mutability');
    });

    it('accepts a readOnly sub-attribute inside a readWrite value, ignoring it (RFC 7643 §7)', () => {
      const result = applyPatch(resource, body({ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'm2', displayName: 'ignored' } }), users);
      expect(((result.resource[ENTERPRISE] as Json).manager as Json).value).toBe('m2');
    });
  });

  it('applies all operations or none', () => {
    // Prepare
    const resource = { userName: 'a', title: 'old' };
    // Act
    const error = scimFailure(() => applyPatch(resource, body({ op: 'replace', path: 'title', value: 'new' }, { op: 'replace', path: 'nosuch', value: 1 }), users));
    // Assess
    expect(error.scimType).toBe('invalidPath');
    expect(resource).toEqual({ userName: 'a', title: 'old' });
  });
});

describe('applyPatch on group members', () => {
  const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'Sales' };

  it.each<[string, unknown[], MemberDelta]>([
    ['Entra Add of members with a value array', [{ op: 'Add', path: 'members', value: [{ value: 'u1' }, { value: 'u2', display: 'Bob', type: 'User' }] }], {
      add: [{ value: 'u1' }, { value: 'u2', display: 'Bob', type: 'User' }],
      remove: [],
    }],
    ['Entra (older) Remove with a value array', [{ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }], { add: [], remove: ['u1', 'u2'] }],
    ['Entra (newer) remove with a value filter', [{ op: 'remove', path: 'members[value eq "u1"]' }], { add: [], remove: ['u1'] }],
    ['remove with an OR of value filters', [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }], { add: [], remove: ['u1', 'u2'] }],
    ['Okta replace of the whole list', [{ op: 'replace', path: 'members', value: [{ value: 'u3', display: 'C' }] }], { add: [], remove: [], replaceAll: [{ value: 'u3', display: 'C' }] }],
    ['remove of members without value', [{ op: 'remove', path: 'members' }], { add: [], remove: [], removeAll: true }],
    ['replace of members with an empty list', [{ op: 'replace', path: 'members', value: [] }], { add: [], remove: [], removeAll: true }],
    ['no-path add of members', [{ op: 'add', value: { members: [{ value: 'u1' }] } }], { add: [{ value: 'u1' }], remove: [] }],
    ['no-path replace of members', [{ op: 'replace', value: { members: [{ value: 'u1' }] } }], { add: [], remove: [], replaceAll: [{ value: 'u1' }] }],
    ['a single member object and a bare id', [{ op: 'add', path: 'members', value: { value: 'u1' } }, { op: 'add', path: 'members', value: 'u2' }], {
      add: [{ value: 'u1' }, { value: 'u2' }],
      remove: [],
    }],
    ['add then remove of one member: net remove', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'remove', path: 'members[value eq "u1"]' }], { add: [], remove: ['u1'] }],
    ['remove then add of one member: net add', [{ op: 'remove', path: 'members[value eq "u1"]' }, { op: 'add', path: 'members', value: [{ value: 'u1' }] }], { add: [{ value: 'u1' }], remove: [] }],
    ['duplicate adds: one add', [{ op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u1', display: 'A' }] }], { add: [{ value: 'u1', display: 'A' }], remove: [] }],
    ['replace then add: the add extends the new set', [{ op: 'replace', path: 'members', value: [{ value: 'u1' }] }, { op: 'add', path: 'members', value: [{ value: 'u2' }] }], {
      add: [],
      remove: [],
      replaceAll: [{ value: 'u1' }, { value: 'u2' }],
    }],
    ['replace then remove: the remove shrinks the new set', [{ op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }, { op: 'remove', path: 'members[value eq "u1"]' }], {
      add: [],
      remove: [],
      replaceAll: [{ value: 'u2' }],
    }],
    ['remove all then add: the new set', [{ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'u9' }] }], { add: [], remove: [], replaceAll: [{ value: 'u9' }] }],
    ['add then remove all: no members', [{ op: 'add', path: 'members', value: [{ value: 'u9' }] }, { op: 'remove', path: 'members' }], { add: [], remove: [], removeAll: true }],
  ])('turns %s into a delta', (_, operations, delta) => {
    // Act
    const result = applyPatch(group, body(...operations), groups);
    // Assess
    expect(result.memberDelta).toEqual(delta);
    expect(result.resource).toEqual(group);
    expect(result.changed).toBe(true);
  });

  it('renames a group and changes members in one request (Okta rename with its own id)', () => {
    // Act
    const result = applyPatch(group, body({ op: 'replace', value: { id: 'g1', displayName: 'Sales EMEA' } }, { op: 'Add', path: 'members', value: [{ value: 'u1' }] }), groups);
    // Assess
    expect(result.resource).toEqual({ ...group, displayName: 'Sales EMEA' });
    expect(result.memberDelta).toEqual({ add: [{ value: 'u1' }], remove: [] });
  });

  it('leaves memberDelta out when no member operation is present', () => {
    expect(applyPatch(group, body({ op: 'replace', path: 'displayName', value: 'X' }), groups).memberDelta).toBeUndefined();
  });

  it.each<[string, unknown, ScimErrorType, RegExp]>([
    ['a member filter other than value eq', { op: 'remove', path: 'members[type eq "User"]' }, 'invalidFilter', /value eq/],
    ['a member filter with co', { op: 'remove', path: 'members[value co "u"]' }, 'invalidFilter', /value eq/],
    ['a sub-attribute of members', { op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }, 'invalidPath', /whole/],
    ['members.value', { op: 'remove', path: 'members.value' }, 'invalidPath', /whole/],
    ['a filtered add of members', { op: 'add', path: 'members[value eq "u1"]', value: { value: 'u1' } }, 'invalidPath', /value array/],
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue', /"value"/],
    ['add of members without value', { op: 'add', path: 'members' }, 'invalidValue', /needs a "value"/],
    ['removing the required displayName', { op: 'remove', path: 'displayName' }, 'invalidValue', /required/],
  ])('rejects %s', (_, operation, scimType, detail) => {
    const error = scimFailure(() => applyPatch(group, body(operation), groups));
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toMatch(detail);
  });
});

describe('applyPatch atomicity', () => {
  const paths = ['title', 'nickName', 'active', 'name', 'name.givenName', 'emails', 'emails.value', 'emails[type eq "work"].value', 'emails[type eq "home"]',
    'phoneNumbers[type eq "mobile"].value', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager[value eq "m1"]`, `${CUSTOM}:badge`,
    `${CUSTOM}:level`, 'id', 'meta', 'userName', 'nosuch', 'emails[', 'members'];
  const values = fc.oneof(
    fc.constantFrom<unknown>('x', 'True', 'nope', 3, true, null, { value: 'm1' }, { givenName: 'G' }, [{ value: 'a@x.com', type: 'work', primary: true }], [{ value: 'a', primary: true }, { value: 'b', primary: true }], 'u1', { nosuch: 1 }),
    fc.string(),
  );
  const operation = fc.record({ op: fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'REMOVE', 'bogus'), path: fc.option(fc.constantFrom(...paths), { nil: undefined }), value: fc.option(values, { nil: undefined }) }, { requiredKeys: ['op'] });

  it('either applies a patch completely or throws a ScimError and leaves the resource as it was', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 5 }), (operations) => {
        // Prepare
        const resource = structuredClone(fixture.users.bjensen) as Json;
        (resource[CUSTOM] as unknown) = { badge: 'B1', level: 1 };
        const snapshot = structuredClone(resource);
        // Act
        let outcome: 'applied' | 'rejected';
        try {
          const result = applyPatch(resource, body(...operations), users);
          outcome = 'applied';
          expect(result.resource).not.toBe(resource);
        } catch (e) {
          if (!isScimError(e)) throw e;
          expect(e.status).toBe(400);
          outcome = 'rejected';
        }
        // Assess
        expect(resource).toEqual(snapshot);
        expect(['applied', 'rejected']).toContain(outcome);
      }),
      { numRuns: 2000 },
    );
  });

  it('applies a sequence exactly as applying each operation in turn would', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 4 }), (operations) => {
        const start = structuredClone(fixture.users.bjensen) as Json;
        let whole: Json | undefined;
        try {
          whole = applyPatch(start, body(...operations), users).resource;
        } catch {
          return;
        }
        // Whole-request checks (required, immutable) may reject an intermediate step the whole request passes.
        let stepwise = start;
        try {
          for (const op of operations) stepwise = applyPatch(stepwise, body(op), users).resource;
        } catch {
          return;
        }
        expect(whole).toEqual(stepwise);
      }),
      { numRuns: 500 },
    );
  });
});
