import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { MAX_ATTRIBUTE_NAMES, parseAttributeList, projectResource, requestsAttribute, type ProjectionOptions } from '../../lambdas/scim/projection';
import { URN, attribute } from '../../lambdas/scim/schema';
import { registryWithUserExtension } from '../support/customExtension';

const EXT = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';
const registry = registryWithUserExtension(EXT, [attribute('badgeId'), attribute('pin', { returned: 'request' }), attribute('secret', { returned: 'never' })]);

const meta = { resourceType: 'User', created: '2026-01-01T00:00:00Z', lastModified: '2026-01-01T00:00:00Z', location: 'https://x/Users/1', version: 'W/"1"' };

/** A stored user, as validateResource and the store produce it. */
const alice: Record<string, unknown> = {
  schemas: [URN.user, URN.enterpriseUser, EXT],
  id: '1',
  externalId: 'alice',
  userName: 'alice@contoso.com',
  name: { givenName: 'Alice', familyName: 'Smith' },
  displayName: 'Alice',
  active: true,
  password: 'hash-never-returned',
  emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }, { value: 'a@home', type: 'home' }],
  [URN.enterpriseUser]: { department: 'R&D', employeeNumber: '7', manager: { value: 'm1', displayName: 'Boss' } },
  [EXT]: { badgeId: 'B1', pin: '1234', secret: 's' },
  meta,
};

function project(attributes?: string[], excludedAttributes?: string[]): Record<string, unknown> {
  return projectResource(alice, { registry, resourceType: 'User', attributes, excludedAttributes });
}

describe('projectResource', () => {
  it('returns default and always attributes, never password nor request-only ones, without a list', () => {
    // Act
    const out = project();
    // Assess
    expect(out).not.toHaveProperty('password');
    expect(out[EXT]).toEqual({ badgeId: 'B1' });
    expect(out).toMatchObject({ id: '1', userName: 'alice@contoso.com', meta, schemas: [URN.user, URN.enterpriseUser, EXT] });
  });

  it('returns only the named attributes plus id, schemas and meta', () => {
    // Act
    const out = project(['userName']);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], id: '1', userName: 'alice@contoso.com', meta });
  });

  it('matches attribute names case-insensitively and keeps canonical keys', () => {
    // Act
    const out = project(['USERNAME', 'Name.GivenName']);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], id: '1', userName: 'alice@contoso.com', name: { givenName: 'Alice' }, meta });
  });

  it('returns a sub-attribute of every value of a multi-valued attribute', () => {
    // Act
    const out = project(['emails.value']);
    // Assess
    expect(out.emails).toEqual([{ value: 'alice@contoso.com' }, { value: 'a@home' }]);
  });

  it('returns a URN-qualified extension attribute and lists only that extension in schemas', () => {
    // Act
    const out = project([`${URN.enterpriseUser}:department`]);
    // Assess
    expect(out[URN.enterpriseUser]).toEqual({ department: 'R&D' });
    expect(out.schemas).toEqual([URN.user, URN.enterpriseUser]);
    expect(out).not.toHaveProperty(EXT);
  });

  it('returns the default attributes of a whole extension named by its bare URN', () => {
    // Act
    const out = project([EXT.toLowerCase()]);
    // Assess
    expect(out[EXT]).toEqual({ badgeId: 'B1' });
    expect(out).not.toHaveProperty('userName');
  });

  it('returns a request-only attribute when it is named, and never a never attribute', () => {
    // Act
    const out = project([`${EXT}:pin`, `${EXT}:secret`, 'password']);
    // Assess
    expect(out[EXT]).toEqual({ pin: '1234' });
    expect(out).not.toHaveProperty('password');
  });

  it('never drops id, schemas or meta, even when excluded', () => {
    // Act
    const out = project(undefined, ['id', 'meta', 'schemas', 'userName']);
    // Assess
    expect(out).toMatchObject({ id: '1', meta, schemas: alice.schemas });
    expect(out).not.toHaveProperty('userName');
  });

  it('drops excluded attributes, sub-attributes and whole extensions', () => {
    // Act
    const out = project(undefined, ['emails.type', 'name', URN.enterpriseUser, `${EXT}:badgeId`]);
    // Assess
    expect(out.emails).toEqual([{ value: 'alice@contoso.com', primary: true }, { value: 'a@home' }]);
    expect(out).not.toHaveProperty('name');
    expect(out).not.toHaveProperty(URN.enterpriseUser);
    expect(out).not.toHaveProperty(EXT);
    expect(out.schemas).toEqual([URN.user]);
  });

  it('ignores names the schemas do not know', () => {
    // Act
    const out = project(['userName', 'shoeSize', 'name.middle.x', 'urn:acme:unknown:thing']);
    // Assess
    expect(out).toEqual({ schemas: [URN.user], id: '1', userName: 'alice@contoso.com', meta });
  });

  it("answers Entra's excludedAttributes=members on a group without members", () => {
    // Prepare
    const group = { schemas: [URN.group], id: 'g', displayName: 'Sales', members: [{ value: '1', display: 'Alice' }], meta: { ...meta, resourceType: 'Group' } };
    // Act
    const out = projectResource(group, { registry, resourceType: 'Group', excludedAttributes: ['members'] });
    // Assess
    expect(out).toEqual({ schemas: [URN.group], id: 'g', displayName: 'Sales', meta: group.meta });
  });
});

describe('requestsAttribute', () => {
  const group = (o: Partial<ProjectionOptions>): ProjectionOptions => ({ registry, resourceType: 'Group', ...o });

  it.each([
    [{}, true],
    [{ excludedAttributes: ['members'] }, false],
    [{ excludedAttributes: ['Members'] }, false],
    [{ excludedAttributes: ['members.display'] }, true],
    [{ attributes: ['displayName'] }, false],
    [{ attributes: ['members.value'] }, true],
    [{ attributes: [`${URN.group}:members`] }, true],
  ])('tells whether %j includes members: %s', (o, expected) => {
    // Act
    const result = requestsAttribute(group(o), 'members');
    // Assess
    expect(result).toBe(expected);
  });

  it('says never for password and always for id', () => {
    // Act
    const password = requestsAttribute({ registry, resourceType: 'User', attributes: ['password'] }, 'password');
    const id = requestsAttribute({ registry, resourceType: 'User', attributes: ['userName'] }, 'id');
    // Assess
    expect(password).toBe(false);
    expect(id).toBe(true);
  });
});

describe('parseAttributeList', () => {
  it.each([
    [undefined, []],
    [null, []],
    ['', []],
    ['userName', ['userName']],
    [' userName , name.givenName,,emails ', ['userName', 'name.givenName', 'emails']],
    [[`${URN.enterpriseUser}:department,displayName`, 'members'], [`${URN.enterpriseUser}:department`, 'displayName', 'members']],
  ])('splits %j into %j', (value, expected) => {
    // Act
    const names = parseAttributeList(value);
    // Assess
    expect(names).toEqual(expected);
  });

  it.each([
    ['too long', 'a'.repeat(9000)],
    ['too many names', Array.from({ length: MAX_ATTRIBUTE_NAMES + 1 }, (_, i) => `a${i}`).join(',')],
    ['not strings', [1] as unknown as string[]],
  ])('rejects a value that is %s with invalidValue', (_what, value) => {
    // Act
    let error: unknown;
    try {
      parseAttributeList(value);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(isScimError(error) && error.status === 400 && error.scimType === 'invalidValue').toBe(true);
  });
});
