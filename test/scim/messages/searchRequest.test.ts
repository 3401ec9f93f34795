import { describe, expect, it } from 'vitest';
import { parseListParams, parseSearchRequest } from '../../../lambdas/scim/messages';
import { ScimError } from '../../../lambdas/scim/errors';

const limits = { defaultPageSize: 100, maxPageSize: 500 };
const params = (p: Record<string, string>) => (name: string) => Object.entries(p).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('parseListParams', () => {
  it.each([
    ['no parameters', {}, { startIndex: 1, count: 100, sortOrder: 'ascending' }],
    ['startIndex below 1 counts as 1 (RFC 7644 §3.4.2.4)', { startIndex: '0' }, { startIndex: 1 }],
    ['count above the maximum is clamped', { count: '9999' }, { count: 500 }],
    ['a negative count answers totalResults only', { count: '-5' }, { count: 0 }],
    ['names in another case', { StartIndex: '3', COUNT: '7' }, { startIndex: 3, count: 7 }],
    ['attribute lists split on commas', { attributes: 'userName, emails' }, { attributes: ['userName', 'emails'] }],
    ['an empty cursor asks for cursor paging (RFC 9865)', { cursor: '' }, { cursor: '' }],
    ['sortOrder in any case', { sortBy: 'userName', sortOrder: 'DESCENDING' }, { sortBy: 'userName', sortOrder: 'descending' }],
    ['a blank filter is no filter', { filter: '  ' }, { filter: undefined, filterText: undefined }],
  ])('reads %s', (_name, p, expected) => {
    expect(parseListParams(params(p), limits)).toMatchObject(expected);
  });

  it.each([
    ['a non-integer count', { count: 'ten' }, 'invalidValue'],
    ['a fractional startIndex', { startIndex: '1.5' }, 'invalidValue'],
    ['an unknown sortOrder', { sortOrder: 'up' }, 'invalidValue'],
    ['a malformed filter', { filter: 'userName eq' }, 'invalidFilter'],
  ])('refuses %s with 400 %s', (_name, p, scimType) => {
    // Act
    const err = (() => {
      try {
        parseListParams(params(p), limits);
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(err).toBeInstanceOf(ScimError);
    expect((err as ScimError).status).toBe(400);
    expect((err as ScimError).scimType).toBe(scimType);
  });

  it('parses the filter into its tree and keeps its text', () => {
    const q = parseListParams(params({ filter: 'userName eq "a"' }), limits);
    expect(q.filterText).toBe('userName eq "a"');
    expect(q.filter).toMatchObject({ op: 'eq' });
  });
});

describe('parseSearchRequest', () => {
  it.each([
    ['no body', undefined, { startIndex: 1, count: 100 }],
    ['keys in any case and integers as strings', { StartIndex: '2', count: 5, ATTRIBUTES: ['userName'] }, { startIndex: 2, count: 5, attributes: ['userName'] }],
    ['excludedAttributes as a comma string', { excludedAttributes: 'members,meta' }, { excludedAttributes: ['members', 'meta'] }],
  ])('reads %s', (_name, body, expected) => {
    expect(parseSearchRequest(body, limits)).toMatchObject(expected);
  });

  it.each([
    ['an array body', [], 'invalidSyntax'],
    ['a non-string filter', { filter: 3 }, 'invalidFilter'],
    ['a non-integer count', { count: 1.5 }, 'invalidValue'],
    ['attributes that are not strings', { attributes: [1] }, 'invalidValue'],
    ['a non-string cursor', { cursor: 5 }, 'invalidValue'],
  ])('refuses %s with 400 %s', (_name, body, scimType) => {
    expect(() => parseSearchRequest(body, limits)).toThrow(expect.objectContaining({ status: 400, scimType }));
  });
});
