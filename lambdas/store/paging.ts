import { createHash } from 'node:crypto';
import { InvalidCursorError } from './errors';

/**
 * Opaque RFC 9865 cursors. A cursor carries either a DynamoDB LastEvaluatedKey (`k`, streaming a
 * listing) or an offset into a small materialized result (`o`), plus a hash of the query it was
 * issued for, so a cursor replayed against another filter or resource type is rejected with a
 * clear error instead of silently paging something else. Integrity, not secrecy: a forged cursor
 * can only name keys of the listing it claims, which the caller could read anyway.
 */
export interface CursorState {
  /** LastEvaluatedKey to resume from. */
  k?: Record<string, string>;
  /** Offset into a materialized result. */
  o?: number;
}

const VERSION = 1;

/** A short stable hash of the query identity (resource type, filter fingerprint, mode). */
export function queryHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 16);
}

/** Encodes a cursor for the query with hash `q`. */
export function encodeCursor(q: string, state: CursorState): string {
  return Buffer.from(JSON.stringify({ v: VERSION, q, ...state })).toString('base64url');
}

/** Decodes a cursor issued for the query with hash `q`, or throws InvalidCursorError. */
export function decodeCursor(q: string, cursor: string): CursorState {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 2048) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (e) {
    throw new InvalidCursorError('the cursor is not one this service issued', { cause: e });
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidCursorError('the cursor is not one this service issued');
  const c = parsed as { v?: unknown; q?: unknown; k?: unknown; o?: unknown };
  if (c.v !== VERSION) throw new InvalidCursorError('the cursor is not one this service issued');
  if (c.q !== q) throw new InvalidCursorError('the cursor was issued for another query (filter, sort or resource type)');
  if (c.k !== undefined) {
    if (!c.k || typeof c.k !== 'object' || Object.values(c.k).some((v) => typeof v !== 'string') || typeof (c.k as Record<string, unknown>).PK !== 'string') {
      throw new InvalidCursorError('the cursor is not one this service issued');
    }
    return { k: c.k as Record<string, string> };
  }
  if (typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0) return { o: c.o };
  throw new InvalidCursorError('the cursor is not one this service issued');
}
