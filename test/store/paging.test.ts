import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, queryHash } from '../../lambdas/store/paging';
import { InvalidCursorError } from '../../lambdas/store/errors';

const KEY = Buffer.alloc(32, 7);

describe('decodeCursor', () => {
  it('round-trips the cursors it issued', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.string()), fc.nat(), (fp, k, o) => {
        const q = queryHash('User', fp);
        expect(decodeCursor(KEY, q, encodeCursor(KEY, q, { o }))).toEqual({ o });
        const key = { ...k, PK: 'USER#x' };
        expect(decodeCursor(KEY, q, encodeCursor(KEY, q, { k: key }))).toEqual({ k: key });
      }),
    );
  });

  it('answers InvalidCursorError, never another error, for any other string', () => {
    const q = queryHash('User', '');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => Buffer.from(s).toString('base64url')), fc.json().map((j) => Buffer.from(j).toString('base64url'))), (garbage) => {
        try {
          decodeCursor(KEY, q, garbage);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidCursorError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a cursor issued for another query', () => {
    const c = encodeCursor(KEY, queryHash('User', 'a'), { o: 5 });
    expect(() => decodeCursor(KEY, queryHash('User', 'b'), c)).toThrow(InvalidCursorError);
  });

  it('rejects a cursor whose payload was edited, even with a valid structure', () => {
    // Prepare: a client swaps the offset or the start key and re-encodes the payload
    const q = queryHash('User', '');
    const [, tag] = encodeCursor(KEY, q, { o: 5 }).split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, q, k: { PK: 'TYPE#USER', GSI2SK: { S: 'x' } } })).toString('base64url');
    // Act, Assess
    expect(() => decodeCursor(KEY, q, `${forged}.${tag}`)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(KEY, q, Buffer.from(JSON.stringify({ v: 1, q, o: 0 })).toString('base64url'))).toThrow(InvalidCursorError);
  });

  it('rejects a cursor tagged with another tenant\'s key', () => {
    const q = queryHash('User', '');
    expect(() => decodeCursor(KEY, q, encodeCursor(Buffer.alloc(32, 8), q, { o: 5 }))).toThrow(InvalidCursorError);
  });
});
