import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { parsePath, type PatchPath } from '../../lambdas/scim/path';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const workType = { kind: 'compare', op: 'eq', path: { attr: 'type' }, value: 'work' } as const;

describe('parsePath', () => {
  it.each<[string, PatchPath]>([
    ['members', { attr: 'members' }],
    ['name.givenName', { attr: 'name', sub: 'givenName' }],
    ['emails[type eq "work"].value', { attr: 'emails', filter: workType, sub: 'value' }],
    ['emails[Type EQ "work"]', { attr: 'emails', filter: { ...workType, path: { attr: 'Type' } } }],
    ['members[value eq "2819c223"]', { attr: 'members', filter: { kind: 'compare', op: 'eq', path: { attr: 'value' }, value: '2819c223' } }],
    [`${ENTERPRISE}:department`, { uri: ENTERPRISE, attr: 'department' }],
    [`${ENTERPRISE}:manager`, { uri: ENTERPRISE, attr: 'manager' }],
    [`${ENTERPRISE}:manager.value`, { uri: ENTERPRISE, attr: 'manager', sub: 'value' }],
    [`${ENTERPRISE}:manager[value eq "m1"]`, { uri: ENTERPRISE, attr: 'manager', filter: { kind: 'compare', op: 'eq', path: { attr: 'value' }, value: 'm1' } }],
    ['addresses[type eq "work"].streetAddress', { attr: 'addresses', filter: workType, sub: 'streetAddress' }],
    // RFC 7644 §3.5.2 examples
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName', {
      attr: 'members',
      filter: { kind: 'compare', op: 'eq', path: { attr: 'value' }, value: '2819c223-7f76-453a-919d-413861904646' },
      sub: 'displayName',
    }],
    ['emails[type eq "work" and value ew "example.com"]', {
      attr: 'emails',
      filter: { kind: 'and', left: workType, right: { kind: 'compare', op: 'ew', path: { attr: 'value' }, value: 'example.com' } },
    }],
    [' userName ', { attr: 'userName' }],
  ])('parses %s', (text, expected) => {
    expect(parsePath(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['emails[type eq "work"', /expected "]"/],
    ['emails[type eq "work"]value', /unexpected "v" at position 23/],
    ['emails[type eq "work"].', /sub-attribute name/],
    ['name.givenName[type eq "x"]', /complex attribute/],
    ['a.b.c', /more than one sub-attribute/],
    ['userName eq "x"', /unexpected " "/],
    ['emails[type zz "work"]', /unknown operator/],
    ['1x', /not a valid attribute name/],
  ])('rejects %j with invalidPath naming the position', (text, detail) => {
    // Act
    let error: unknown;
    try {
      parsePath(text);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(isScimError(error) && error.status === 400 && error.scimType === 'invalidPath').toBe(true);
    expect((error as Error).message).toMatch(detail);
  });
});
