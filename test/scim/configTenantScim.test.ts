import { describe, expect, it } from 'vitest';
import { buildRegistry, deployedScimConfig, parseTenantScimConfig, type TenantScimConfigInput } from '../../lambdas/scim/config';
import { URN } from '../../lambdas/scim/schema';
import { projectResource } from '../../lambdas/scim/projection';
import { validateResource } from '../../lambdas/scim/validate';

const BADGE = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';

const valid: TenantScimConfigInput = {
  customExtensions: [
    {
      resourceType: 'User',
      schema: {
        id: BADGE,
        name: 'Badge',
        description: 'Building access badge',
        attributes: [
          { name: 'badgeId', required: true, caseExact: true, uniqueness: 'none' },
          { name: 'level', type: 'integer' },
          { name: 'site', subAttributes: [{ name: 'code' }, { name: 'floor', type: 'integer' }] },
          { name: 'tags', multiValued: true, canonicalValues: ['a', 'b'] },
        ],
      },
    },
    { resourceType: 'Group', required: true, schema: { id: 'urn:acme:group:cost', name: 'Cost', attributes: [{ name: 'costCenter' }] } },
  ],
};

function problems(input: unknown): string {
  try {
    parseTenantScimConfig(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed');
}

describe('parseTenantScimConfig', () => {
  it.each(['server', 'global'])('refuses a custom attribute declaring uniqueness %s, which nothing would enforce', (uniqueness) => {
    // Prepare
    const input = { customExtensions: [{ resourceType: 'User', schema: { id: BADGE, name: 'Badge', attributes: [{ name: 'badgeId', uniqueness }] } }] };
    // Act, Assess
    expect(problems(input)).toMatch(/uniqueness 'none' only/);
  });

  it.each(['server', 'global'])('refuses uniqueness %s on a custom sub-attribute too', (uniqueness) => {
    const input = { customExtensions: [{ resourceType: 'User', schema: { id: BADGE, name: 'Badge', attributes: [{ name: 'site', subAttributes: [{ name: 'code', uniqueness }] }] } }] };
    expect(problems(input)).toMatch(/uniqueness 'none' only/);
  });

  it('fills in the defaults for an empty configuration', () => {
    // Act
    const config = parseTenantScimConfig(undefined);
    // Assess
    expect(config).toEqual({ customExtensions: [], unknownAttributes: 'reject', maxPageSize: 100, defaultPageSize: 100, maxMembersInResponse: 10_000, sortedIndexes: true });
  });

  it('defaults the page size to the maximum when the maximum is below 100', () => {
    // Act
    const config = parseTenantScimConfig({ maxPageSize: 50, unknownAttributes: 'ignore' });
    // Assess
    expect(config).toMatchObject({ maxPageSize: 50, defaultPageSize: 50, unknownAttributes: 'ignore' });
  });

  it('accepts custom extensions with simple, complex and multi-valued attributes', () => {
    // Act
    const config = parseTenantScimConfig(valid);
    // Assess
    expect(config.customExtensions).toHaveLength(2);
  });

  it.each([
    ['a URN that does not start with urn:', { id: 'acme:badge', name: 'B', attributes: [{ name: 'x' }] }, 'schema.id'],
    ['the core User URN', { id: URN.user, name: 'B', attributes: [{ name: 'x' }] }, 'clashes'],
    ['the enterprise URN in another case', { id: URN.enterpriseUser.toUpperCase(), name: 'B', attributes: [{ name: 'x' }] }, 'clashes'],
    ['a URN nested under the core User URN', { id: `${URN.user}:badge`, name: 'B', attributes: [{ name: 'x' }] }, 'clashes'],
    ['a URN ending in a colon', { id: 'urn:acme:badge:', name: 'B', attributes: [{ name: 'x' }] }, 'schema.id'],
    ['no attributes', { id: BADGE, name: 'B', attributes: [] }, 'attributes'],
    ['an attribute name with a dot', { id: BADGE, name: 'B', attributes: [{ name: 'a.b' }] }, 'attributes[0].name'],
    ['duplicate names in any case', { id: BADGE, name: 'B', attributes: [{ name: 'x' }, { name: 'X' }] }, 'attributes[1].name'],
    ['a complex attribute without sub-attributes', { id: BADGE, name: 'B', attributes: [{ name: 'x', type: 'complex' }] }, 'subAttributes'],
    ['sub-attributes on a string', { id: BADGE, name: 'B', attributes: [{ name: 'x', type: 'string', subAttributes: [{ name: 'y' }] }] }, 'type'],
    ['complex nested two levels deep', { id: BADGE, name: 'B', attributes: [{ name: 'x', subAttributes: [{ name: 'y', type: 'complex' }] }] }, 'subAttributes[0].type'],
    ['an unknown characteristic', { id: BADGE, name: 'B', attributes: [{ name: 'x', colour: 'red' }] }, 'colour'],
    ['an unknown mutability', { id: BADGE, name: 'B', attributes: [{ name: 'x', mutability: 'sometimes' }] }, 'mutability'],
  ])('rejects an extension with %s, naming the path', (_what, schema, expected) => {
    // Act
    const message = problems({ customExtensions: [{ resourceType: 'User', schema }] });
    // Assess
    expect(message).toContain('customExtensions[0]');
    expect(message).toContain(expected);
  });

  it('rejects two extensions with the same URN', () => {
    // Act
    const message = problems({
      customExtensions: [
        { resourceType: 'User', schema: { id: BADGE, name: 'A', attributes: [{ name: 'x' }] } },
        { resourceType: 'Group', schema: { id: BADGE.toLowerCase(), name: 'B', attributes: [{ name: 'x' }] } },
      ],
    });
    // Assess
    expect(message).toContain('customExtensions[1].schema.id');
  });

  it.each([
    [{ maxPageSize: 0 }, 'maxPageSize'],
    [{ maxPageSize: 1001 }, 'maxPageSize'],
    [{ maxPageSize: 10.5 }, 'maxPageSize'],
    [{ maxPageSize: 50, defaultPageSize: 60 }, 'defaultPageSize'],
    [{ unknownAttributes: 'drop' }, 'unknownAttributes'],
    [{ customExtensions: [{ resourceType: 'Device', schema: { id: BADGE, name: 'B', attributes: [{ name: 'x' }] } }] }, 'resourceType'],
    [{ extra: true }, 'extra'],
  ])('rejects %j', (input, expected) => {
    // Act
    const message = problems(input);
    // Assess
    expect(message).toContain(expected);
  });
});

describe('buildRegistry', () => {
  it('registers custom extensions with RFC 7643 defaults on their resource types', () => {
    // Act
    const registry = buildRegistry(parseTenantScimConfig(valid));
    // Assess
    expect(registry.forType('User').extensions.map((s) => s.id)).toEqual([URN.enterpriseUser, BADGE]);
    expect(registry.resourceType('Group')?.schemaExtensions).toEqual([{ schema: 'urn:acme:group:cost', required: true }]);
    expect(registry.attribute('User', 'LEVEL', BADGE)).toMatchObject({ name: 'level', type: 'integer', multiValued: false, mutability: 'readWrite', returned: 'default' });
    expect(registry.attribute('User', 'site', BADGE)).toMatchObject({ type: 'complex', subAttributes: [{ name: 'code', type: 'string' }, { name: 'floor', type: 'integer' }] });
    expect(registry.schema(BADGE)?.description).toBe('Building access badge');
  });

  it('builds a registry whose custom extensions validate like built-in ones', () => {
    // Prepare
    const registry = buildRegistry(parseTenantScimConfig(valid));
    // Act
    const out = validateResource({ userName: 'a', [BADGE]: { badgeId: 'B1', site: { code: 'LON' } } }, { registry, resourceType: 'User', mode: 'create', unknownAttributes: 'reject' });
    // Assess
    expect(out[BADGE]).toEqual({ badgeId: 'B1', site: { code: 'LON' } });
  });

  it('builds a registry whose custom extensions project with their returned characteristics', () => {
    // Prepare
    const registry = buildRegistry(parseTenantScimConfig({
      customExtensions: [{ resourceType: 'Group', schema: { id: 'urn:acme:g', name: 'G', attributes: [{ name: 'owner' }, { name: 'audit', returned: 'request' }, { name: 'token', returned: 'never' }] } }],
    }));
    const stored = validateResource({ displayName: 'Sales', 'urn:acme:g': { owner: 'o', audit: 'a', token: 't' } }, { registry, resourceType: 'Group', mode: 'create', unknownAttributes: 'reject' });
    // Act
    const byDefault = projectResource({ ...stored, id: 'g1' }, { registry, resourceType: 'Group' });
    const asked = projectResource({ ...stored, id: 'g1' }, { registry, resourceType: 'Group', attributes: ['urn:acme:g:audit'] });
    // Assess
    expect(byDefault).toEqual({ schemas: [URN.group, 'urn:acme:g'], id: 'g1', displayName: 'Sales', 'urn:acme:g': { owner: 'o' } });
    expect(asked).toEqual({ schemas: [URN.group, 'urn:acme:g'], id: 'g1', 'urn:acme:g': { audit: 'a' } });
  });
});

describe('deployedScimConfig', () => {
  it.each([
    ['an empty configuration', {}],
    ['no configuration', undefined],
    ['custom extensions', valid],
    ['a maximum page size below 100', { maxPageSize: 50, unknownAttributes: 'ignore' }],
    ['every key', { maxPageSize: 500, defaultPageSize: 20, maxMembersInResponse: 5000, sortedIndexes: false }],
  ])('reads what the stack deploys for %s as the full parser does', (_, input) => {
    // Prepare: the stack writes SCIM_CONFIG from the full parser's output (lib/tenantConfig.ts scimConfigOf)
    const checked = parseTenantScimConfig(input);
    const deployed = JSON.parse(JSON.stringify(checked));
    // Act, Assess
    expect(deployedScimConfig(deployed)).toEqual(checked);
  });

  it('fills in the same defaults as the full parser for keys absent from SCIM_CONFIG', () => {
    expect(deployedScimConfig({ maxPageSize: 40 })).toEqual(parseTenantScimConfig({ maxPageSize: 40 }));
  });

  it.each([
    ['an unknown key', { pageSize: 10 }, /pageSize is not a SCIM configuration key/],
    ['a page size out of range', { maxPageSize: 5000 }, /maxPageSize must be an integer from 1 to 1000/],
    ['a default page size above the maximum', { maxPageSize: 10, defaultPageSize: 20 }, /defaultPageSize must be an integer from 1 to 10/],
    ['a policy that does not exist', { unknownAttributes: 'drop' }, /unknownAttributes/],
    ['an extension without a schema', { customExtensions: [{ resourceType: 'User' }] }, /customExtensions\[0\]/],
    ['a list instead of an object', [], /must be an object/],
  ])('refuses a SCIM_CONFIG with %s, so the function fails at init instead of serving a wrong configuration', (_, input, message) => {
    expect(() => deployedScimConfig(input)).toThrow(message);
  });
});
