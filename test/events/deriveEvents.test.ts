import { describe, expect, it } from 'vitest';
import { deriveEvents, type ChangeRecord } from '../../lambdas/events';
import { buildRegistry } from '../../lambdas/scim/config';
import { toResourceItem, type StoredResource } from '../../lambdas/store/items';
import { MEMBER_CHANGE_ATTRIBUTE, WRITE_STAMP_ATTRIBUTE } from '../../lambdas/store/changeAttributes';
import { assertValidEvent } from './eventSchemaValidator';

const registry = buildRegistry({ customExtensions: [] });
const options = { tenant: 'acme', registry };
const stamp = { tokenId: 'tok_0123456789ab', label: 'entra', requestId: 'req-7', sourceIp: '203.0.113.9' };
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function user(version: number, data: Record<string, unknown>): StoredResource {
  return { id: 'u1', resourceType: 'User', version, created: '2026-01-01T00:00:00.000Z', lastModified: `2026-01-01T00:00:0${version}.000Z`, data };
}
function group(version: number, memberCount: number, data: Record<string, unknown> = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Eng' }): StoredResource {
  return { id: 'g1', resourceType: 'Group', version, created: '2026-01-01T00:00:00.000Z', lastModified: `2026-01-01T00:00:0${version}.000Z`, data, memberCount };
}
const item = (r: StoredResource, extra: Record<string, unknown> = {}) => ({ ...toResourceItem(r), [WRITE_STAMP_ATTRIBUTE]: stamp, ...extra }) as Record<string, unknown>;
const rec = (eventName: ChangeRecord['eventName'], oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>, eventId = 'e1'): ChangeRecord => ({
  eventId,
  eventName,
  approximateTime: '2026-01-01T00:00:30.000Z',
  oldImage,
  newImage,
});
const alice = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice', externalId: 'ext-1', active: true, password: '$scrypt$hash' };

function derive(r: ChangeRecord, opts: Partial<typeof options> & { payload?: 'full' | 'ids' } = {}) {
  const events = deriveEvents(r, { ...options, ...opts });
  for (const e of events) assertValidEvent(e);
  return events;
}

describe('deriveEvents', () => {
  it('turns an inserted user into user.created carrying the resource without its password hash', () => {
    // Act
    const [e, ...rest] = derive(rec('INSERT', undefined, item(user(1, alice))));
    // Assess
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ type: 'user.created', tenant: 'acme', resourceType: 'User', resourceId: 'u1', externalId: 'ext-1', version: 1, previousVersion: 0 });
    expect(e.actor).toEqual({ tokenId: 'tok_0123456789ab', label: 'entra' });
    expect(e.requestId).toBe('req-7');
    expect(e.time).toBe('2026-01-01T00:00:00.000Z');
    const resource = (e.data as { resource: Record<string, unknown> }).resource;
    expect(resource).toMatchObject({ id: 'u1', userName: 'alice', meta: { resourceType: 'User', version: 'W/"1"' } });
    expect(JSON.stringify(e)).not.toContain('scrypt');
    expect(JSON.stringify(e)).not.toContain('203.0.113.9');
  });

  it('names the attributes an update changed, extension attributes by URN, and the password by name only', () => {
    const next = { ...alice, displayName: 'Alice', password: '$scrypt$other', [ENTERPRISE]: { department: 'R&D' } };
    const [e] = derive(rec('MODIFY', item(user(1, alice)), item(user(2, next))));
    expect(e.type).toBe('user.updated');
    expect(e.data).toMatchObject({ changedAttributes: ['displayName', 'password', `${ENTERPRISE}:department`] });
    expect(e).toMatchObject({ version: 2, previousVersion: 1 });
    expect(JSON.stringify(e)).not.toContain('scrypt');
  });

  it('emits nothing for a new version that changed no attribute (a no-op PATCH)', () => {
    expect(derive(rec('MODIFY', item(user(1, alice)), item(user(2, alice))))).toEqual([]);
  });

  it('reads active false as user.deactivated and back to true as user.reactivated', () => {
    const off = { ...alice, active: false };
    expect(derive(rec('MODIFY', item(user(1, alice)), item(user(2, off))))[0]).toMatchObject({ type: 'user.deactivated', data: { changedAttributes: ['active'] } });
    expect(derive(rec('MODIFY', item(user(2, off)), item(user(3, alice))))[0]).toMatchObject({ type: 'user.reactivated', version: 3 });
  });

  it('reads the delete that hides a resource as user.deleted, and its final removal as nothing', () => {
    const hidden = item(user(3, alice), { deleting: '2026-01-01T00:00:09.000Z' });
    const [e, ...rest] = derive(rec('MODIFY', item(user(3, alice)), hidden));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ type: 'user.deleted', version: 4, previousVersion: 3, time: '2026-01-01T00:00:09.000Z', externalId: 'ext-1', data: {} });
    expect(derive(rec('REMOVE', hidden, undefined))).toEqual([]);
  });

  it('turns a group created with members into group.created plus group.members_added listing them', () => {
    const delta = { add: [{ value: 'u1', type: 'User' }, { value: 'g2', type: 'Group' }], remove: [] };
    const events = derive(rec('INSERT', undefined, item(group(1, 2), { [MEMBER_CHANGE_ATTRIBUTE]: delta })));
    expect(events.map((e) => e.type)).toEqual(['group.created', 'group.members_added']);
    expect(events[0].data).toMatchObject({ memberCount: 2, resource: { displayName: 'Eng' } });
    expect(events[1].data).toEqual({ members: delta.add, memberCount: 2 });
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  it('turns a member chunk into membership events only, and a rename without a delta into group.updated only', () => {
    const delta = { add: [{ value: 'u9', type: 'User' }], remove: [{ value: 'u1', type: 'User' }] };
    const events = derive(rec('MODIFY', item(group(4, 3)), item(group(5, 3), { [MEMBER_CHANGE_ATTRIBUTE]: delta })));
    expect(events.map((e) => [e.type, e.version, e.previousVersion])).toEqual([
      ['group.members_removed', 5, 4],
      ['group.members_added', 5, 4],
    ]);
    const renamed = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering' };
    const stale = derive(rec('MODIFY', item(group(5, 3), { [MEMBER_CHANGE_ATTRIBUTE]: delta }), item(group(6, 3, renamed))));
    expect(stale.map((e) => e.type)).toEqual(['group.updated']);
    expect(stale[0].data).toMatchObject({ changedAttributes: ['displayName'] });
  });

  it('emits nothing for a nested-group parentCount bump, which keeps the version', () => {
    expect(derive(rec('MODIFY', item(group(2, 1)), item(group(2, 1), { parentCount: 1 })))).toEqual([]);
  });

  it('ignores items that are not resources (memberships, markers, counters, event log)', () => {
    expect(derive(rec('INSERT', undefined, { PK: 'GROUP#g1', SK: 'MEMBER#u1', memberId: 'u1', memberType: 'User' }))).toEqual([]);
    expect(derive(rec('REMOVE', { PK: 'UNIQUE#USER#userName#alice', SK: 'UNIQUE', id: 'u1' }, undefined))).toEqual([]);
    expect(derive(rec('MODIFY', { PK: 'COUNTER#USER', SK: '3', count: 1 }, { PK: 'COUNTER#USER', SK: '3', count: 2 }))).toEqual([]);
  });

  it('gives the same ids for the same record every time and different ids for another record', () => {
    const r = rec('INSERT', undefined, item(user(1, alice)));
    expect(derive(r).map((e) => e.id)).toEqual(derive(r).map((e) => e.id));
    expect(derive({ ...r, eventId: 'e2' })[0].id).not.toBe(derive(r)[0].id);
    expect(deriveEvents(r, { ...options, tenant: 'other' })[0].id).not.toBe(derive(r)[0].id);
  });

  it('carries ids only when the tenant publishes ids', () => {
    const [e] = derive(rec('MODIFY', item(user(1, alice)), item(user(2, { ...alice, displayName: 'A' }))), { payload: 'ids' });
    expect(e.data).toEqual({ changedAttributes: ['displayName'] });
  });

  it('has a null actor for system work (a write without a stamp)', () => {
    const [e] = derive(rec('INSERT', undefined, toResourceItem(user(1, alice)) as unknown as Record<string, unknown>));
    expect(e.actor).toBeNull();
    expect(e.requestId).toBeNull();
  });
});
