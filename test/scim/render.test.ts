import { describe, expect, it } from 'vitest';
import { renderResource, wireForUpdate, type ResourceState } from '../../lambdas/scim/render';

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const base = 'https://h/prod/scim/v2';
const user: ResourceState = {
  id: 'u 1',
  resourceType: 'User',
  version: 4,
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-02T00:00:00.000Z',
  data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT], userName: 'a', password: 'scrypt$hash', [EXT]: { manager: { value: 'm1', displayName: 'M' }, department: 'D' } },
};

describe('renderResource', () => {
  it('renders id, attributes and meta with an absolute, escaped location and the weak ETag, never the password', () => {
    // Act
    const out = renderResource(user, base);
    // Assess
    expect(out.password).toBeUndefined();
    expect(out.id).toBe('u 1');
    expect(out.meta).toEqual({ resourceType: 'User', created: user.created, lastModified: user.lastModified, location: `${base}/Users/u%201`, version: 'W/"4"' });
  });

  it("gives Entra's manager one stable shape with its $ref", () => {
    expect((renderResource(user, base)[EXT] as Record<string, unknown>).manager).toEqual({ value: 'm1', $ref: `${base}/Users/m1`, displayName: 'M' });
  });

  it('renders members and groups with $refs to their endpoints', () => {
    // Act
    const group = renderResource({ ...user, resourceType: 'Group', data: { displayName: 'G' } }, base, { members: [{ value: 'g2', type: 'Group' }, { value: 'u2', type: 'User', display: 'U' }] });
    const withGroups = renderResource(user, base, { groups: [{ value: 'g1', type: 'direct' }] });
    // Assess
    expect(group.members).toEqual([
      { value: 'g2', $ref: `${base}/Groups/g2`, type: 'Group' },
      { value: 'u2', $ref: `${base}/Users/u2`, type: 'User', display: 'U' },
    ]);
    expect(withGroups.groups).toEqual([{ value: 'g1', $ref: `${base}/Groups/g1`, type: 'direct' }]);
  });
});

describe('wireForUpdate', () => {
  it('is the stored attributes with id, the password hash riding along', () => {
    expect(wireForUpdate(user)).toEqual({ ...user.data, id: 'u 1' });
  });
});
