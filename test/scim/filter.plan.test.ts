import { describe, expect, it } from 'vitest';
import { MAX_FILTER_LOOKUPS, parseFilter, planFilter, type ResourceTypeName, type StorePlan } from '../../lambdas/scim/filter';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('planFilter', () => {
  it.each<[ResourceTypeName, string, StorePlan]>([
    ['User', 'id eq "u1"', { kind: 'id', value: 'u1' }],
    ['User', 'ID EQ "u1"', { kind: 'id', value: 'u1' }],
    ['User', 'userName eq "alice@contoso.com"', { kind: 'userName', value: 'alice@contoso.com' }],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"', { kind: 'userName', value: 'a' }],
    ['User', 'externalId eq "e-1"', { kind: 'externalId', value: 'e-1' }],
    ['User', 'externalId eq 1234', { kind: 'externalId', value: '1234' }],
    ['Group', 'externalId eq "e-1"', { kind: 'externalId', value: 'e-1' }],
    ['Group', 'displayName eq "Sales"', { kind: 'displayName', value: 'Sales' }],
    ['User', 'emails.value eq "a@x.com"', { kind: 'email', value: 'a@x.com' }],
    ['User', 'emails eq "a@x.com"', { kind: 'email', value: 'a@x.com' }],
    ['User', 'emails[type eq "work"].value eq "a@x.com"', { kind: 'email', value: 'a@x.com', type: 'work' }],
    ['User', 'emails[value eq "a@x.com"]', { kind: 'email', value: 'a@x.com' }],
    ['User', 'emails[type eq "work" and value eq "a@x.com"]', { kind: 'email', value: 'a@x.com', type: 'work' }],
    ['User', 'emails[value eq "a@x.com" and primary eq true]', { kind: 'email', value: 'a@x.com' }],
    ['Group', 'members[value eq "u1"]', { kind: 'member', value: 'u1' }],
    ['Group', 'members.value eq "u1"', { kind: 'member', value: 'u1' }],
    ['Group', 'id eq "g1" and members[value eq "u1"]', { kind: 'id', value: 'g1', memberValue: 'u1' }],
    ['Group', 'members[value eq "u1"] and id eq "g1"', { kind: 'id', value: 'g1', memberValue: 'u1' }],
    // Only the member lookup proves a membership: it wins over any other key but id.
    ['Group', 'displayName eq "Sales" and members[value eq "u1"]', { kind: 'member', value: 'u1' }],
    ['Group', 'members[value eq "u1"] and externalId eq "x"', { kind: 'member', value: 'u1' }],
    ['User', 'active eq true and userName eq "a"', { kind: 'userName', value: 'a' }],
    ['User', 'emails.value eq "a@x.com" and externalId eq "e"', { kind: 'externalId', value: 'e' }],
    ['User', 'externalId eq "e" and id eq "u"', { kind: 'id', value: 'u' }],
    ['User', 'userName eq "a" or userName eq "b"', { kind: 'union', plans: [{ kind: 'userName', value: 'a' }, { kind: 'userName', value: 'b' }] }],
    ['User', 'userName eq "a" or (externalId eq "b" or id eq "c")', {
      kind: 'union',
      plans: [{ kind: 'userName', value: 'a' }, { kind: 'externalId', value: 'b' }, { kind: 'id', value: 'c' }],
    }],
    ['User', '(userName eq "a" or userName eq "b") and title pr', { kind: 'union', plans: [{ kind: 'userName', value: 'a' }, { kind: 'userName', value: 'b' }] }],
  ])('plans a %s filter %s as a lookup', (rt, filter, plan) => {
    // Act
    const actual = planFilter(parseFilter(filter), rt);
    // Assess
    expect(actual).toEqual(plan);
  });

  it.each<[ResourceTypeName, string]>([
    ['User', 'userName ne "a"'],
    ['User', 'userName pr'],
    ['User', 'not (userName eq "a")'],
    ['User', 'userName eq "a" or title eq "b"'],
    ['User', 'userName eq null'],
    ['Group', 'userName eq "a"'],
    ['User', 'members[value eq "u"]'],
    ['Group', 'emails.value eq "a"'],
    ['User', 'emails[type eq "work"]'],
    ['User', 'emails[value eq "a" or type eq "work"]'],
    ['User', 'emails.type eq "work"'],
    ['User', `${ENTERPRISE}:employeeNumber eq "1"`],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:Group:id eq "u"'],
  ])('plans a %s filter %s as a listing', (rt, filter) => {
    expect(planFilter(parseFilter(filter), rt)).toEqual({ kind: 'list' });
  });

  it.each<[ResourceTypeName, string, StorePlan]>([
    ['User', 'externalId eq "x" or externalId eq "x" or externalId eq "x"', { kind: 'externalId', value: 'x' }],
    ['User', 'userName eq "Alice" or userName eq "alice" or userName eq "\uFF21LICE"', { kind: 'userName', value: 'Alice' }],
    ['Group', 'displayName eq "Stra\u00DFe" or displayName eq "STRASSE"', { kind: 'displayName', value: 'Stra\u00DFe' }],
    ['User', 'emails.value eq "A@x.com" or emails.value eq "a@X.com"', { kind: 'email', value: 'A@x.com' }],
    ['User', 'externalId eq "x" or externalId eq "X" or externalId eq "x"', {
      kind: 'union',
      plans: [{ kind: 'externalId', value: 'x' }, { kind: 'externalId', value: 'X' }],
    }],
    ['User', 'id eq "a" or userName eq "a" or id eq "a"', { kind: 'union', plans: [{ kind: 'id', value: 'a' }, { kind: 'userName', value: 'a' }] }],
  ])('reads a lookup repeated in a %s filter once: %s', (rt, filter, plan) => {
    // Act, Assess
    expect(planFilter(parseFilter(filter), rt)).toEqual(plan);
  });

  it('plans up to the cap of distinct lookups and answers 400 tooMany past it', () => {
    // Prepare
    const ors = (n: number) => Array.from({ length: n }, (_, i) => `id eq "u${i}"`).join(' or ');
    // Act
    const atCap = planFilter(parseFilter(ors(MAX_FILTER_LOOKUPS)), 'User');
    let past: unknown;
    try {
      planFilter(parseFilter(ors(MAX_FILTER_LOOKUPS + 1)), 'User');
    } catch (e) {
      past = e;
    }
    // Assess
    expect(atCap.kind === 'union' && atCap.plans.length).toBe(MAX_FILTER_LOOKUPS);
    expect(past).toMatchObject({ status: 400, scimType: 'tooMany' });
  });

  it('counts a repeated lookup once towards the cap', () => {
    // Prepare: twice the cap, but only two distinct keys
    const filter = Array.from({ length: 2 * MAX_FILTER_LOOKUPS }, (_, i) => `externalId eq "e${i % 2}"`).join(' or ');
    // Act, Assess
    expect(planFilter(parseFilter(filter), 'User')).toEqual({ kind: 'union', plans: [{ kind: 'externalId', value: 'e0' }, { kind: 'externalId', value: 'e1' }] });
  });

  const T = Date.parse('2026-01-01T00:00:00Z');
  it.each<[ResourceTypeName, string, StorePlan]>([
    // Directory UIs list `userName sw "a"`: a prefix of the case-insensitive userName index.
    ['User', 'userName sw "Al"', { kind: 'range', index: 'userName', prefix: 'al', exact: true }],
    ['User', 'displayName sw "Al"', { kind: 'range', index: 'displayName', prefix: 'al', exact: true }],
    ['Group', 'displayName sw "Sales"', { kind: 'range', index: 'displayName', prefix: 'sales', exact: true }],
    ['User', 'displayName eq "Alice"', { kind: 'range', index: 'displayName', prefix: 'alice', exact: false }],
    // Governance tools extract deltas with `meta.lastModified gt "<time>"`.
    ['User', 'meta.lastModified gt "2026-01-01T00:00:00Z"', { kind: 'range', index: 'lastModified', from: T + 1, exact: true }],
    ['User', 'meta.lastModified ge "2026-01-01T01:00:00+01:00"', { kind: 'range', index: 'lastModified', from: T, exact: true }],
    ['Group', 'meta.lastModified lt "2026-01-01T00:00:00Z"', { kind: 'range', index: 'lastModified', to: T - 1, exact: true }],
    ['User', 'meta.created le "2026-01-01T00:00:00Z"', { kind: 'range', index: 'created', to: T, exact: true }],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified gt "2026-01-01T00:00:00Z"', { kind: 'range', index: 'lastModified', from: T + 1, exact: true }],
    ['User', 'meta.lastModified gt "2026-01-01T00:00:00Z" and meta.lastModified le "2026-01-02T00:00:00Z"', { kind: 'range', index: 'lastModified', from: T + 1, to: T + 86_400_000, exact: true }],
    // Any further condition is a predicate over the range.
    ['User', 'meta.lastModified gt "2026-01-01T00:00:00Z" and active eq false', { kind: 'range', index: 'lastModified', from: T + 1, exact: false }],
    ['User', 'title eq "x" and userName sw "a"', { kind: 'range', index: 'userName', prefix: 'a', exact: false }],
    ['User', 'userName sw "a" and meta.lastModified gt "2026-01-01T00:00:00Z"', { kind: 'range', index: 'userName', prefix: 'a', exact: false }],
    // A key lookup is cheaper than any range.
    ['User', 'meta.lastModified gt "2026-01-01T00:00:00Z" and userName eq "a"', { kind: 'userName', value: 'a' }],
  ])('plans a %s filter %s as an index range', (rt, filter, plan) => {
    expect(planFilter(parseFilter(filter), rt)).toEqual(plan);
  });

  it.each<[ResourceTypeName, string]>([
    ['User', 'userName ew "a"'],
    ['User', 'userName co "a"'],
    ['Group', 'userName sw "a"'],
    ['User', 'title sw "a"'],
    ['User', 'name.givenName sw "a"'],
    ['User', 'userName sw "a" or userName sw "b"'],
    ['User', 'meta.lastModified gt "yesterday"'],
    ['User', 'meta.lastModified ne "2026-01-01T00:00:00Z"'],
    ['User', 'not (meta.lastModified gt "2026-01-01T00:00:00Z")'],
  ])('serves a %s filter %s by no range', (rt, filter) => {
    expect(planFilter(parseFilter(filter), rt)).toEqual({ kind: 'list' });
  });
});
