import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EVENT_TYPES, eventJsonSchema, eventSchemaPath } from '../../lambdas/events';
import { assertValidEvent } from './eventSchemaValidator';

const base = {
  id: `evt_${'0'.repeat(32)}`,
  schemaVersion: 1,
  tenant: 'acme',
  time: '2026-01-02T03:04:05.678Z',
  resourceId: 'u1',
  version: 2,
  previousVersion: 1,
  actor: { tokenId: 'tok_0123456789ab', label: 'entra' },
  requestId: 'req-1',
};

describe('event JSON Schemas (docs/events/v1)', () => {
  it.each(EVENT_TYPES)('the committed schema of %s is what npm run events:schemas writes', (type) => {
    // Prepare
    const committed = JSON.parse(readFileSync(new URL(`../../docs/events/${eventSchemaPath(type)}`, import.meta.url), 'utf8'));
    // Assess
    expect(committed).toEqual(eventJsonSchema(type));
  });

  it('accepts a well-formed membership event and refuses one without members', () => {
    const ok = { ...base, type: 'group.members_added', resourceType: 'Group', data: { members: [{ value: 'u1', type: 'User' }], memberCount: 1 } };
    expect(() => assertValidEvent(ok)).not.toThrow();
    expect(() => assertValidEvent({ ...ok, data: { members: [], memberCount: 0 } })).toThrow(/does not match/);
  });

  it('refuses an event whose type and resource type disagree', () => {
    expect(() => assertValidEvent({ ...base, type: 'user.deleted', resourceType: 'Group', data: {} })).toThrow(/does not match/);
  });

  it('refuses an event without a schema version or with a token-shaped actor missing its id', () => {
    const { schemaVersion: _v, ...noVersion } = { ...base, type: 'user.deleted', resourceType: 'User', data: {} };
    expect(() => assertValidEvent(noVersion)).toThrow(/does not match/);
    expect(() => assertValidEvent({ ...base, type: 'user.deleted', resourceType: 'User', data: {}, actor: { label: 'x' } })).toThrow(/does not match/);
  });
});
