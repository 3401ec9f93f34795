import { describe, expect, it } from 'vitest';
import { etagOf, expectedVersions, notModified } from '../../lambdas/scim/etag';

describe('ETags (RFC 7644 §3.14)', () => {
  it('makes a weak ETag of the version', () => {
    expect(etagOf(7)).toBe('W/"7"');
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['*', undefined],
    ['W/"3"', [3]],
    ['"3"', [3]],
    ['W/"3", W/"4"', [3, 4]],
    ['w/"5", "junk"', [5]],
  ])('reads If-Match %j as the versions %j', (header, versions) => {
    expect(expectedVersions(header)).toEqual(versions);
  });

  it('answers 412 at once for an If-Match holding no tag we could have issued', () => {
    expect(() => expectedVersions('"abc"')).toThrow(expect.objectContaining({ status: 412 }));
  });

  it.each([
    [undefined, 3, false],
    ['W/"3"', 3, true],
    ['W/"2", W/"3"', 3, true],
    ['W/"2"', 3, false],
    ['*', 3, true],
  ])('If-None-Match %j against version %i is not-modified: %s', (header, version, expected) => {
    expect(notModified(header, version)).toBe(expected);
  });
});
