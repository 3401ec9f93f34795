import { describe, expect, it } from 'vitest';
import { compareSortValues, compareCodePoints } from '../../lambdas/scim/compareSortValues';
import { isScimError } from '../../lambdas/scim/errors';
import { SchemaRegistry } from '../../lambdas/scim/schema';
import { resolveSortBy, sortKeyOf } from '../../lambdas/scim/sortKey';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const registry = new SchemaRegistry();

// Mixed case, caseExact and missing values (RFC 7644 §3.4.2.3).
const fixtures: Record<string, unknown>[] = [
  { id: 'b-2', userName: 'bob', externalId: 'beta', displayName: 'Bob', meta: { created: '2026-01-01T00:00:02.000Z', lastModified: '2026-01-03T00:00:00.000Z' }, emails: [{ value: 'z@x.com' }, { value: 'b@x.com', primary: true }] },
  { id: 'A-1', userName: 'Alice', externalId: 'Zeta', meta: { created: '2026-01-01T00:00:01.000Z', lastModified: '2026-01-02T00:00:00.000Z' }, [ENTERPRISE]: { department: 'ops' } },
  { id: 'a-3', userName: 'carol', externalId: 'alpha', displayName: 'alice', meta: { created: '2026-01-01T00:00:03.000+01:00', lastModified: '2026-01-01T00:00:00.000Z' }, emails: [{ value: 'C@x.com' }], [ENTERPRISE]: { department: 'Dev' } },
  { id: 'B-4', userName: 'Dave', meta: { created: '2025-12-31T23:59:59.000Z', lastModified: '2026-01-04T00:00:00.000Z' } },
];

function sorted(sortBy: string, order: 'ascending' | 'descending'): string[] {
  const target = resolveSortBy(registry, 'User', sortBy);
  return [...fixtures]
    .map((r) => ({ r, k: sortKeyOf(r, target) }))
    .sort((a, b) => compareSortValues(a.k, b.k, order))
    .map(({ r }) => r.userName as string);
}

describe('sorting (RFC 7644 §3.4.2.3)', () => {
  it.each<[string, 'ascending' | 'descending', string[]]>([
    // caseExact false: "sort the result using case-insensitive Unicode alphabetic sort order".
    ['userName', 'ascending', ['Alice', 'bob', 'carol', 'Dave']],
    ['userName', 'descending', ['Dave', 'carol', 'bob', 'Alice']],
    // Resources without a value sort last ascending and first descending.
    ['displayName', 'ascending', ['carol', 'bob', 'Alice', 'Dave']],
    ['displayName', 'descending', ['Alice', 'Dave', 'bob', 'carol']],
    // caseExact true (externalId, id): "case-sensitive Unicode alphabetic sort order" (upper case first).
    ['externalId', 'ascending', ['Alice', 'carol', 'bob', 'Dave']],
    ['externalId', 'descending', ['Dave', 'bob', 'carol', 'Alice']],
    ['id', 'ascending', ['Alice', 'Dave', 'carol', 'bob']],
    // dateTime compares as instants, whatever the offset it was written with.
    ['meta.created', 'ascending', ['carol', 'Dave', 'Alice', 'bob']],
    ['meta.lastModified', 'descending', ['Dave', 'bob', 'Alice', 'carol']],
    // Multi-valued: the primary value, else the first.
    ['emails', 'ascending', ['bob', 'carol', 'Alice', 'Dave']],
    ['emails.value', 'descending', ['Alice', 'Dave', 'carol', 'bob']],
    [`${ENTERPRISE}:department`, 'ascending', ['carol', 'Alice', 'bob', 'Dave']],
    ['DEPARTMENT', 'descending', ['bob', 'Dave', 'Alice', 'carol']],
  ])('sortBy=%s %s gives %j', (sortBy, order, expected) => {
    expect(sorted(sortBy, order)).toEqual(expected);
  });

  it('compares strings by code point, the order DynamoDB keeps sort keys in (UTF-8 bytes)', () => {
    // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 code unit.
    expect(compareCodePoints('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('Z', 'a')).toBeLessThan(0);
  });

  it.each(['shoeSize', 'emails[type eq "work"]', 'name', '['])('answers 400 invalidValue to sortBy=%s', (sortBy) => {
    let error: unknown;
    try {
      resolveSortBy(registry, 'User', sortBy);
    } catch (e) {
      error = e;
    }
    expect(isScimError(error) && error.status === 400 && error.scimType === 'invalidValue').toBe(true);
  });
});
