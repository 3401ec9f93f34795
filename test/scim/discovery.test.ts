import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../lambdas/scim/config';
import {
  BEARER_TOKEN_SCHEME,
  resourceTypeDocument,
  resourceTypesDocument,
  schemaDocument,
  schemasDocument,
  serviceProviderConfig,
  type ServiceProviderConfigOptions,
} from '../../lambdas/scim/discovery';
import { SchemaRegistry, URN } from '../../lambdas/scim/schema';

const BASE = 'https://api.example.com/prod/scim/v2/';
const BADGE = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';
const registry = new SchemaRegistry();
const CHARACTERISTICS = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];

const supported: ServiceProviderConfigOptions = {
  baseUrl: BASE,
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: true },
  sort: { supported: false },
  etag: { supported: true },
};

type Attr = Record<string, unknown> & { subAttributes?: Attr[] };

function everyAttribute(attrs: Attr[]): Attr[] {
  return attrs.flatMap((a) => [a, ...everyAttribute(a.subAttributes ?? [])]);
}

describe('serviceProviderConfig', () => {
  it('advertises exactly what it is given, with the bearer scheme and an absolute location', () => {
    // Act
    const doc = serviceProviderConfig(supported);
    // Assess
    expect(doc).toEqual({
      schemas: [URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [BEARER_TOKEN_SCHEME],
      meta: { resourceType: 'ServiceProviderConfig', location: 'https://api.example.com/prod/scim/v2/ServiceProviderConfig' },
    });
  });

  it('adds the RFC 9865 pagination advertisement when given', () => {
    // Prepare
    const pagination = { cursor: true, index: true, defaultPaginationMethod: 'index' as const, defaultPageSize: 100, maxPageSize: 1000, cursorTimeout: 3600 };
    // Act
    const doc = serviceProviderConfig({ ...supported, pagination });
    // Assess
    expect(doc.pagination).toEqual(pagination);
  });
});

describe('resourceTypesDocument', () => {
  it('lists User with the enterprise extension and Group, each with meta.location', () => {
    // Act
    const doc = resourceTypesDocument(registry, BASE);
    // Assess
    expect(doc).toMatchObject({ schemas: [URN.listResponse], totalResults: 2, startIndex: 1, itemsPerPage: 2 });
    expect(doc.Resources).toEqual([
      {
        schemas: [URN.resourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: URN.user,
        schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
        meta: { resourceType: 'ResourceType', location: 'https://api.example.com/prod/scim/v2/ResourceTypes/User' },
      },
      {
        schemas: [URN.resourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Group',
        schema: URN.group,
        schemaExtensions: [],
        meta: { resourceType: 'ResourceType', location: 'https://api.example.com/prod/scim/v2/ResourceTypes/Group' },
      },
    ]);
  });

  it('answers a single resource type by id in any case, and undefined for an unknown one', () => {
    // Act
    const group = resourceTypeDocument(registry, BASE, 'group');
    const unknown = resourceTypeDocument(registry, BASE, 'Device');
    // Assess
    expect(group?.id).toBe('Group');
    expect(unknown).toBeUndefined();
  });

  it('lists custom extensions on their resource types', () => {
    // Prepare
    const custom = buildRegistry({ customExtensions: [{ resourceType: 'User', required: true, schema: { id: BADGE, name: 'Badge', attributes: [{ name: 'badgeId' }] } }] });
    // Act
    const user = resourceTypeDocument(custom, BASE, 'User');
    // Assess
    expect(user?.schemaExtensions).toEqual([{ schema: URN.enterpriseUser, required: false }, { schema: BADGE, required: true }]);
  });
});

describe('schemasDocument', () => {
  it('lists the three schemas with meta.location absolute to the base URL', () => {
    // Act
    const doc = schemasDocument(registry, BASE);
    // Assess
    expect(doc.totalResults).toBe(3);
    expect(doc.Resources.map((s) => s.id)).toEqual([URN.user, URN.group, URN.enterpriseUser]);
    for (const s of doc.Resources) {
      expect(s.schemas).toEqual([URN.schema]);
      expect(s.meta).toEqual({ resourceType: 'Schema', location: `https://api.example.com/prod/scim/v2/Schemas/${s.id}` });
    }
  });

  it('spells out every characteristic of every attribute and sub-attribute', () => {
    // Act
    const doc = schemasDocument(registry, BASE);
    // Assess
    const attrs = doc.Resources.flatMap((s) => everyAttribute(s.attributes as Attr[]));
    expect(attrs.length).toBeGreaterThan(80);
    for (const a of attrs) {
      for (const c of CHARACTERISTICS) expect(a, `${String(a.name)}.${c}`).toHaveProperty(c);
      if (a.type === 'reference') expect(a.referenceTypes, String(a.name)).toBeInstanceOf(Array);
      if (a.type === 'complex') expect(a.subAttributes, String(a.name)).toBeInstanceOf(Array);
    }
  });

  it('describes the RFC 7643 User attributes with their characteristics', () => {
    // Act
    const user = schemaDocument(registry, BASE, URN.user.toLowerCase());
    // Assess
    const byName = new Map((user!.attributes as Attr[]).map((a) => [a.name, a]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates']));
    expect(byName.get('userName')).toMatchObject({ type: 'string', required: true, uniqueness: 'server', returned: 'default', mutability: 'readWrite', caseExact: false, multiValued: false });
    expect(byName.get('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(byName.get('groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(byName.get('profileUrl')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    const emailType = (byName.get('emails')!.subAttributes as Attr[]).find((s) => s.name === 'type');
    expect(emailType?.canonicalValues).toEqual(['work', 'home', 'other']);
  });

  it('describes the enterprise manager and the Group members', () => {
    // Act
    const enterprise = schemaDocument(registry, BASE, URN.enterpriseUser);
    const group = schemaDocument(registry, BASE, URN.group);
    // Assess
    const manager = (enterprise!.attributes as Attr[]).find((a) => a.name === 'manager');
    expect(manager?.subAttributes?.map((s) => s.name)).toEqual(['value', '$ref', 'displayName']);
    const members = (group!.attributes as Attr[]).find((a) => a.name === 'members');
    expect(members).toMatchObject({ type: 'complex', multiValued: true });
    expect(members?.subAttributes?.find((s) => s.name === '$ref')).toMatchObject({ type: 'reference', referenceTypes: ['User', 'Group'] });
  });

  it('renders a custom extension from configuration like the built-in ones', () => {
    // Prepare
    const custom = buildRegistry({
      customExtensions: [{ resourceType: 'User', schema: { id: BADGE, name: 'Badge', attributes: [{ name: 'level', type: 'integer', required: true }, { name: 'site', subAttributes: [{ name: 'code', canonicalValues: ['LON', 'NYC'] }] }] } }],
    });
    // Act
    const doc = schemaDocument(custom, BASE, BADGE);
    // Assess
    expect(doc).toMatchObject({ id: BADGE, name: 'Badge', description: '', meta: { location: `https://api.example.com/prod/scim/v2/Schemas/${BADGE}` } });
    expect(doc!.attributes).toEqual([
      { name: 'level', type: 'integer', multiValued: false, description: '', required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
      {
        name: 'site', type: 'complex', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
        subAttributes: [{ name: 'code', type: 'string', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', canonicalValues: ['LON', 'NYC'] }],
      },
    ]);
    expect(schemasDocument(custom, BASE).totalResults).toBe(4);
  });

  it('answers undefined for an unknown schema URN', () => {
    // Act
    const doc = schemaDocument(registry, BASE, 'urn:acme:nothing');
    // Assess
    expect(doc).toBeUndefined();
  });
});
