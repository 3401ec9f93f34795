import { describe, expect, it } from 'vitest';
import { activationChange, changedAttributes } from '../../lambdas/scim/changes';

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributes', () => {
  it.each([
    ['nothing changed', { userName: 'a', emails: [{ value: 'x' }] }, { userName: 'a', emails: [{ value: 'x' }] }, []],
    ['a value changed', { userName: 'a' }, { userName: 'b' }, ['userName']],
    ['an attribute added and one removed', { title: 't' }, { nickName: 'n' }, ['nickName', 'title']],
    ['a multi-valued attribute reordered', { emails: [{ value: 'x' }, { value: 'y' }] }, { emails: [{ value: 'y' }, { value: 'x' }] }, ['emails']],
    ['schemas only', { schemas: ['a'] }, { schemas: ['a', 'b'] }, []],
    ['an extension attribute', { [EXT]: { department: 'a', manager: { value: 'm' } } }, { [EXT]: { department: 'b', manager: { value: 'm' } } }, [`${EXT}:department`]],
    ['an extension added', {}, { [EXT]: { costCenter: '1' } }, [`${EXT}:costCenter`]],
  ])('reports %s', (_name, before, after, expected) => {
    expect(changedAttributes(before, after)).toEqual(expected);
  });
});

describe('activationChange', () => {
  it.each([
    [{ active: true }, { active: false }, 'deactivated'],
    [{ active: false }, { active: true }, 'reactivated'],
    [{}, { active: false }, 'deactivated'],
    [{ active: false }, {}, 'reactivated'],
    [{ active: true }, { active: true }, undefined],
    [undefined, { active: false }, 'deactivated'],
    [undefined, { active: true }, undefined],
  ])('from %j to %j is %s', (before, after, expected) => {
    expect(activationChange(before, after)).toBe(expected);
  });
});
