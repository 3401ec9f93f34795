import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { SchemaRegistry, URN, attribute } from '../../lambdas/scim/schema';
import { validateResource, type ValidateContext } from '../../lambdas/scim/validate';
import { registryWithUserExtension } from '../support/customExtension';

const registry = new SchemaRegistry();
const user: ValidateContext = { registry, resourceType: 'User', mode: 'create', unknownAttributes: 'reject' };
const group: ValidateContext = { ...user, resourceType: 'Group' };

/** Entra ID's create-user body (docs/idp-quirks.md). */
const entraUser = {
  schemas: [URN.user, URN.enterpriseUser],
  externalId: 'alice',
  userName: 'alice@contoso.com',
  active: true,
  displayName: 'Alice Smith',
  emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
  title: 'Engineer',
  preferredLanguage: 'en-US',
  addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', formatted: '1 Main St' }],
  phoneNumbers: [
    { type: 'work', value: '+1 555 0100' },
    { type: 'mobile', value: '+1 555 0101' },
    { type: 'fax', value: '+1 555 0102' },
  ],
  roles: [],
  [URN.enterpriseUser]: { employeeNumber: '701984', department: 'Tour Operations', manager: '26118915-6090-4610-87e4-49d8ca9f808d' },
};

/** Okta's create-user body (docs/idp-quirks.md). */
const oktaUser = {
  schemas: [URN.user],
  userName: 'bob@example.com',
  name: { givenName: 'Bob', familyName: 'Jones' },
  emails: [{ primary: true, value: 'bob@example.com', type: 'work' }],
  displayName: 'Bob Jones',
  locale: 'en-US',
  externalId: '00u1abcd',
  groups: [],
  password: 'hunter2!',
  active: true,
};

function failure(input: unknown, ctx: ValidateContext): { status: number; scimType?: string; detail: string } {
  try {
    validateResource(input, ctx);
  } catch (e) {
    if (!isScimError(e)) throw e;
    return { status: e.status, scimType: e.scimType, detail: e.detail };
  }
  throw new Error('validated');
}

describe('validateResource', () => {
  it("accepts Entra's create-user body and returns the canonical stored form", () => {
    // Act
    const out = validateResource(entraUser, user);
    // Assess
    expect(out).toEqual({
      schemas: [URN.user, URN.enterpriseUser],
      externalId: 'alice',
      userName: 'alice@contoso.com',
      name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
      displayName: 'Alice Smith',
      title: 'Engineer',
      preferredLanguage: 'en-US',
      active: true,
      emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }],
      phoneNumbers: entraUser.phoneNumbers.map(({ value, type }) => ({ value, type })),
      addresses: [{ formatted: '1 Main St', streetAddress: '1 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', type: 'work' }],
      [URN.enterpriseUser]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
    });
    expect(out).not.toHaveProperty('meta');
    expect(out).not.toHaveProperty('roles');
  });

  it("accepts Okta's create-user body, keeps the password for hashing and drops read-only groups", () => {
    // Act
    const out = validateResource(oktaUser, user);
    // Assess
    expect(out.password).toBe('hunter2!');
    expect(out).not.toHaveProperty('groups');
    expect(out.locale).toBe('en-US');
    expect(out.schemas).toEqual([URN.user]);
  });

  it("accepts Entra's group body with its unknown ADSCIM schema URN and Okta's members with display", () => {
    // Prepare
    const body = {
      schemas: [URN.group, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
      displayName: 'Sales',
      externalId: 'g-1',
      members: [{ value: 'u1', display: 'Alice' }],
    };
    // Act
    const out = validateResource(body, group);
    // Assess
    expect(out).toEqual({ schemas: [URN.group], externalId: 'g-1', displayName: 'Sales', members: [{ value: 'u1', display: 'Alice' }] });
  });

  it('matches attribute names, sub-attribute names and schema URNs case-insensitively and outputs canonical case', () => {
    // Prepare
    const body = {
      Schemas: [URN.user.toUpperCase()],
      USERNAME: 'a',
      Name: { GIVENNAME: 'A' },
      [URN.enterpriseUser.toLowerCase()]: { Department: 'R&D' },
    };
    // Act
    const out = validateResource(body, user);
    // Assess
    expect(out).toEqual({ schemas: [URN.user, URN.enterpriseUser], userName: 'a', name: { givenName: 'A' }, [URN.enterpriseUser]: { department: 'R&D' } });
  });

  it('accepts URN-qualified attribute names at the top level', () => {
    // Act
    const out = validateResource({ userName: 'a', [`${URN.enterpriseUser}:department`]: 'Ops', [`${URN.user}:title`]: 'Boss' }, user);
    // Assess
    expect(out).toMatchObject({ title: 'Boss', [URN.enterpriseUser]: { department: 'Ops' } });
  });

  it.each([
    ['a string', 'body'],
    ['an array', [{ userName: 'a' }]],
    ['null', null],
  ])('rejects a body that is %s with invalidSyntax', (_what, body) => {
    // Act
    const err = failure(body, user);
    // Assess
    expect(err).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });

  it('accepts a body without schemas: the endpoint names the resource type', () => {
    // Act
    const out = validateResource({ userName: 'a' }, user);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], userName: 'a' });
  });

  it('rejects a Group body posted to /Users with invalidSyntax', () => {
    // Act
    const err = failure({ schemas: [URN.group], displayName: 'x', userName: 'a' }, user);
    // Assess
    expect(err.scimType).toBe('invalidSyntax');
    expect(err.detail).toContain(URN.group);
  });

  it('rejects unknown top-level attributes with invalidSyntax naming all of them', () => {
    // Act
    const err = failure({ userName: 'a', shoeSize: 44, favouriteColour: 'red' }, user);
    // Assess
    expect(err).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(err.detail).toContain("'shoeSize'");
    expect(err.detail).toContain("'favouriteColour'");
  });

  it('drops unknown attributes when the tenant chose to ignore them', () => {
    // Act
    const out = validateResource({ userName: 'a', shoeSize: 44, name: { nick: 'x', givenName: 'A' }, 'urn:acme:ext:User': { x: 1 } }, { ...user, unknownAttributes: 'ignore' });
    // Assess
    expect(out).toEqual({ schemas: [URN.user], userName: 'a', name: { givenName: 'A' } });
  });

  it('rejects attributes under an undeclared extension URN, naming it', () => {
    // Act
    const err = failure({ userName: 'a', 'urn:acme:params:scim:schemas:extension:Badge:2.0:User': { badge: '7' } }, user);
    // Assess
    expect(err.scimType).toBe('invalidSyntax');
    expect(err.detail).toContain('urn:acme:params:scim:schemas:extension:Badge:2.0:User');
  });

  it('ignores an undeclared extension URN key that carries no attributes', () => {
    // Act
    const out = validateResource({ userName: 'a', 'urn:acme:x:User': {}, 'urn:acme:y:User': null }, user);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], userName: 'a' });
  });

  it('rejects an unknown sub-attribute with invalidSyntax naming its path', () => {
    // Act
    const err = failure({ userName: 'a', emails: [{ value: 'x@y', colour: 'red' }] }, user);
    // Assess
    expect(err).toMatchObject({ scimType: 'invalidSyntax' });
    expect(err.detail).toContain('emails[0].colour');
  });

  it('ignores read-only attributes on input and never fails on them', () => {
    // Act
    const out = validateResource({ userName: 'a', id: 42, meta: 'nonsense', groups: [{ value: 'g' }] }, user);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], userName: 'a' });
  });

  it.each([
    ['User', user, {}, 'userName'],
    ['User', user, { userName: '' }, 'userName'],
    ['User', user, { userName: null }, 'userName'],
    ['Group', group, { members: [] }, 'displayName'],
  ])('rejects a %s without its required attribute with invalidValue (%j)', (_t, ctx, body, name) => {
    // Act
    const err = failure(body, ctx);
    // Assess
    expect(err).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(err.detail).toContain(`'${name}'`);
  });

  it.each([
    ['"True"', 'True', true],
    ['"False"', 'False', false],
    ['"true"', 'true', true],
    ['"FALSE"', 'FALSE', false],
    ['true', true, true],
  ])("coerces Entra's boolean %s for a boolean attribute", (_label, active, expected) => {
    // Act
    const out = validateResource({ userName: 'a', active, emails: [{ value: 'x', primary: active }] }, user);
    // Assess
    expect(out.active).toBe(expected);
    expect((out.emails as { primary: boolean }[])[0].primary).toBe(expected);
  });

  it('does not coerce boolean strings for string attributes', () => {
    // Act
    const out = validateResource({ userName: 'a', title: 'True' }, user);
    // Assess
    expect(out.title).toBe('True');
  });

  it.each([
    ['active', 'yes', 'boolean'],
    ['active', 1, 'boolean'],
    ['userName', { x: 1 }, 'string'],
    ['userName', true, 'string'],
    ['name', 'Alice', 'complex'],
    ['emails', [['x']], 'complex'],
  ])('rejects %s = %j with invalidValue naming the attribute', (name, value, what) => {
    // Act
    const err = failure({ userName: 'a', [name]: value }, user);
    // Assess
    expect(err).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(err.detail).toContain(`'${name}`);
    expect(err.detail).toContain(what);
  });

  it('stores a number sent for a string attribute as its decimal text', () => {
    // Act
    const out = validateResource({ userName: 'a', [URN.enterpriseUser]: { employeeNumber: 701984 } }, user);
    // Assess
    expect(out[URN.enterpriseUser]).toEqual({ employeeNumber: '701984' });
  });

  it('wraps a single object where a multi-valued attribute expects an array', () => {
    // Act
    const out = validateResource({ userName: 'a', emails: { value: 'a@x', type: 'work' } }, user);
    // Assess
    expect(out.emails).toEqual([{ value: 'a@x', type: 'work' }]);
  });

  it('treats null and empty arrays as unassigned', () => {
    // Act
    const out = validateResource({ userName: 'a', displayName: null, emails: [], name: { givenName: null }, phoneNumbers: [null] }, user);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], userName: 'a' });
  });

  it('rejects two primary values in one multi-valued attribute with invalidValue', () => {
    // Act
    const err = failure({ userName: 'a', emails: [{ value: 'a', primary: true }, { value: 'b', primary: 'True' }] }, user);
    // Assess
    expect(err).toMatchObject({ scimType: 'invalidValue' });
    expect(err.detail).toContain("'emails'");
  });

  it('normalises a manager sent as a bare id or as {value} to the same shape', () => {
    // Act
    const bare = validateResource({ userName: 'a', [URN.enterpriseUser]: { manager: 'm1' } }, user);
    const object = validateResource({ userName: 'a', [URN.enterpriseUser]: { manager: { value: 'm1' } } }, user);
    // Assess
    expect(bare).toEqual(object);
    expect(bare[URN.enterpriseUser]).toEqual({ manager: { value: 'm1' } });
  });

  it('does not enforce canonicalValues: other types are stored as sent', () => {
    // Act
    const out = validateResource({ userName: 'a', emails: [{ value: 'a', type: 'personal' }] }, user);
    // Assess
    expect(out.emails).toEqual([{ value: 'a', type: 'personal' }]);
  });

  it('rejects a userName longer than the key bound with invalidValue', () => {
    // Act
    const err = failure({ userName: 'ü'.repeat(600) }, user);
    // Assess
    expect(err).toMatchObject({ scimType: 'invalidValue' });
    expect(err.detail).toContain('bytes');
  });

  it('rejects an over-long string and too many values with invalidValue', () => {
    // Act
    const long = failure({ userName: 'a', title: 'x'.repeat(20_000) }, user);
    const many = failure({ userName: 'a', emails: Array.from({ length: 201 }, (_, i) => ({ value: `${i}@x` })) }, user);
    // Assess
    expect(long).toMatchObject({ scimType: 'invalidValue' });
    expect(many).toMatchObject({ scimType: 'invalidValue' });
    expect(many.detail).toContain('emails');
  });

  it('rejects a resource larger than the item bound with invalidValue', () => {
    // Prepare
    const body = { userName: 'a', entitlements: Array.from({ length: 50 }, (_, i) => ({ value: `e${i}`, display: 'x'.repeat(10_000) })) };
    // Act
    const err = failure(body, user);
    // Assess
    expect(err).toMatchObject({ scimType: 'invalidValue' });
    expect(err.detail).toContain('bytes');
  });

  it('rejects an attribute given twice in different case with invalidSyntax', () => {
    // Act
    const err = failure({ userName: 'a', UserName: 'b' }, user);
    // Assess
    expect(err).toMatchObject({ scimType: 'invalidSyntax' });
  });

  describe('with a custom extension', () => {
    const EXT = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';
    const custom = registryWithUserExtension(EXT, [
      attribute('badgeId', { required: true, mutability: 'immutable', caseExact: true }),
      attribute('level', { type: 'integer' }),
      attribute('score', { type: 'decimal' }),
      attribute('validUntil', { type: 'dateTime' }),
      attribute('photo', { type: 'binary' }),
      attribute('vip', { type: 'boolean' }),
      attribute('tags', { multiValued: true }),
      attribute('site', { subAttributes: [attribute('code', { required: true }), attribute('floor', { type: 'integer' })] }),
    ]);
    const ctx: ValidateContext = { ...user, registry: custom };

    it('validates every data type of the extension and lists it in schemas', () => {
      // Prepare
      const body = {
        userName: 'a',
        [EXT.toLowerCase()]: { BadgeId: 'B-1', level: 3, score: 4.5, validUntil: '2027-01-01T00:00:00Z', photo: 'aGVsbG8=', vip: 'True', tags: 'one', site: { code: 'LON', floor: 2 } },
      };
      // Act
      const out = validateResource(body, ctx);
      // Assess
      expect(out.schemas).toEqual([URN.user, EXT]);
      expect(out[EXT]).toEqual({ badgeId: 'B-1', level: 3, score: 4.5, validUntil: '2027-01-01T00:00:00Z', photo: 'aGVsbG8=', vip: true, tags: ['one'], site: { code: 'LON', floor: 2 } });
    });

    it.each([
      ['level', 3.5, 'integer'],
      ['level', '3', 'integer'],
      ['score', 'high', 'number'],
      ['validUntil', 'tomorrow', 'dateTime'],
      ['photo', 'not base64!', 'base64'],
      ['site', { floor: 1 }, 'site.code'],
    ])('rejects %s = %j with invalidValue', (name, value, expected) => {
      // Act
      const err = failure({ userName: 'a', [EXT]: { badgeId: 'B', [name]: value } }, ctx);
      // Assess
      expect(err).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(err.detail).toContain(expected);
    });

    it('requires the required attributes of an extension only when the extension is present', () => {
      // Act
      const absent = validateResource({ userName: 'a' }, ctx);
      const err = failure({ userName: 'a', [EXT]: { level: 1 } }, ctx);
      // Assess
      expect(absent.schemas).toEqual([URN.user]);
      expect(err.detail).toContain(`${EXT}:badgeId`);
    });

    it('rejects a change of an immutable attribute on replace with mutability, and keeps it when omitted', () => {
      // Prepare
      const existing = validateResource({ userName: 'a', [EXT]: { badgeId: 'B-1' } }, ctx);
      const replace: ValidateContext = { ...ctx, mode: 'replace', existing };
      // Act
      const same = validateResource({ userName: 'a', [EXT]: { badgeId: 'B-1', level: 2 } }, replace);
      const err = failure({ userName: 'a', [EXT]: { badgeId: 'B-2' } }, replace);
      // Assess
      expect(same[EXT]).toEqual({ badgeId: 'B-1', level: 2 });
      expect(err).toMatchObject({ status: 400, scimType: 'mutability' });
      expect(err.detail).toContain('badgeId');
    });

    it('enforces a required extension', () => {
      // Prepare
      const required = new SchemaRegistry([{ resourceType: 'Group', required: true, schema: { id: 'urn:acme:g', name: 'G', description: '', attributes: [attribute('cost')] } }]);
      // Act
      const err = failure({ displayName: 'x' }, { ...group, registry: required });
      // Assess
      expect(err).toMatchObject({ scimType: 'invalidValue' });
      expect(err.detail).toContain('urn:acme:g');
    });
  });
});
