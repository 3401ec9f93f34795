import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, queryHash } from '../../lambdas/store/paging';
import { InvalidCursorError } from '../../lambdas/store/errors';

describe('decodeCursor', () => {
  it('round-trips the cursors it issued', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), fc.nat(), (fp, k, o) => {
        const q = queryHash('User', fp);
        expect(decodeCursor(q, encodeCursor(q, { o }))).toEqual({ o });
        const key = { ...k, PK: 'USER#x' };
        expect(decodeCursor(q, encodeCursor(q, { k: key }))).toEqual({ k: key });
      }),
    );
  });

  it('answers InvalidCursorError, never another error, for any other string', () => {
    const q = queryHash('User', '');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => Buffer.from(s).toString('base64url')), fc.json().map((j) => Buffer.from(j).toString('base64url'))), (garbage) => {
        try {
          decodeCursor(q, garbage);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidCursorError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a cursor issued for another query', () => {
    const c = encodeCursor(queryHash('User', 'a'), { o: 5 });
    expect(() => decodeCursor(queryHash('User', 'b'), c)).toThrow(InvalidCursorError);
  });
});
