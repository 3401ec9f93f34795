import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { checkFilterSupport, parseFilter, planFilter, planProvesMembership } from '../../lambdas/scim/filter';

function refusal(filter: string, resourceType: 'User' | 'Group'): string {
  try {
    checkFilterSupport(parseFilter(filter), resourceType);
  } catch (e) {
    if (!isScimError(e)) throw e;
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidFilter');
    return e.detail;
  }
  throw new Error(`${filter} was accepted`);
}

describe('checkFilterSupport', () => {
  it.each<[string, 'User' | 'Group', string | undefined]>([
    ['userName eq "bjensen"', 'User', undefined],
    ['emails[type eq "work" and value co "@example.com"]', 'User', undefined],
    ['displayName eq "Admins"', 'Group', undefined],
    ['members[value eq "u1"]', 'Group', 'u1'],
    ['members.value eq "u1"', 'Group', 'u1'],
    ['MEMBERS.VALUE eq "u1" and displayName sw "A"', 'Group', 'u1'],
    ['members[value eq "u1"] or members[value eq "u1"]', 'Group', 'u1'],
  ])('accepts %s on %s (member id %s)', (filter, resourceType, memberValue) => {
    // Act
    const support = checkFilterSupport(parseFilter(filter), resourceType);
    // Assess
    expect(support.memberValue).toBe(memberValue);
  });

  it.each<[string, 'User' | 'Group', RegExp]>([
    // The stored user holds neither: the filter would match nothing and read as "no such user".
    ['groups.value eq "g1"', 'User', /Filtering Users on groups.*members\[value eq/],
    ['not (password pr)', 'User', /Filtering Users on password/],
    ['groups[display eq "Admins"]', 'User', /groups/],
    // A group's members are not loaded to evaluate anything but a lookup by id.
    ['members.display eq "Barbara"', 'Group', /members\[value eq/],
    ['members[value co "u"]', 'Group', /members\[value eq/],
    ['members pr', 'Group', /members\[value eq/],
    ['members[value eq "u1"] or members[value eq "u2"]', 'Group', /at most one member id/],
  ])('refuses %s on %s with invalidFilter', (filter, resourceType, detail) => {
    expect(refusal(filter, resourceType)).toMatch(detail);
  });
});

describe('planProvesMembership', () => {
  it.each<[string, string, boolean]>([
    ['members[value eq "u1"]', 'u1', true],
    ['id eq "g1" and members[value eq "u1"]', 'u1', true],
    ['members[value eq "u1"] or displayName eq "A"', 'u1', false],
    ['displayName eq "A"', 'u1', false],
  ])('says whether the lookup planned for %s proves membership of %s', (filter, member, proves) => {
    expect(planProvesMembership(planFilter(parseFilter(filter), 'Group'), member)).toBe(proves);
  });
});
