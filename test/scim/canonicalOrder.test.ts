import { describe, it, expect } from 'vitest';
import { canonicalOrder } from '../../lambdas/scim/projection/canonicalOrder';
import { SchemaRegistry } from '../../lambdas/scim/schema';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const types = new SchemaRegistry().forType('User');

describe('canonicalOrder', () => {
  it('puts schemas, id, externalId first, core attributes in schema order, extensions next and meta last', () => {
    // Prepare: keys in the arbitrary order a DynamoDB map comes back in
    const shuffled = {
      meta: { version: 'W/"1"', resourceType: 'User' },
      [ENTERPRISE]: { manager: { $ref: 'x', value: 'm' }, department: 'R&D' },
      emails: [{ primary: true, value: 'a@x.com', type: 'work' }],
      active: true,
      userName: 'a@x.com',
      externalId: 'ext',
      id: '1',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      name: { givenName: 'A', familyName: 'B' },
    };
    // Act
    const ordered = canonicalOrder(shuffled, types);
    // Assess
    expect(Object.keys(ordered)).toEqual(['schemas', 'id', 'externalId', 'userName', 'name', 'active', 'emails', ENTERPRISE, 'meta']);
    expect(Object.keys(ordered.name as object)).toEqual(['familyName', 'givenName']);
    expect(Object.keys((ordered.emails as object[])[0])).toEqual(['value', 'type', 'primary']);
    expect(Object.keys(ordered[ENTERPRISE] as object)).toEqual(['department', 'manager']);
    expect(Object.keys((ordered[ENTERPRISE] as { manager: object }).manager)).toEqual(['value', '$ref']);
    expect(Object.keys(ordered.meta as object)).toEqual(['resourceType', 'version']);
  });

  it('keeps every key and value, only reordering', () => {
    const input = { zeta: 1, userName: 'u', id: '1', emails: [{ value: 'v', custom: true }] };
    const ordered = canonicalOrder(input, types);
    expect(ordered).toEqual(input);
    expect(Object.keys(ordered)).toEqual(['id', 'userName', 'emails', 'zeta']);
  });
});
