import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './errors';

/**
 * Opaque, tamper-evident RFC 9865 cursors: `<payload>.<tag>`, base64url. The payload carries either
 * a DynamoDB LastEvaluatedKey (`k`, streaming a listing) or an offset into a small materialized
 * result (`o`), plus a hash of the query it was issued for; the tag is an HMAC-SHA256 of both under
 * the tenant's cursor key (cursorKey.ts). A cursor a client edited (a start key DynamoDB would
 * refuse with ValidationException, another tenant's partition) or replayed against another filter
 * or resource type fails the tag or the query check: 400 invalidCursor, never a 500 and never a
 * page of something else. Integrity, not secrecy: the payload is readable.
 */
export interface CursorState {
  /** LastEvaluatedKey to resume from. */
  k?: Record<string, string>;
  /** Offset into a materialized result. */
  o?: number;
  /** totalResults, counted when the first page was served (an index range's count is not free). */
  t?: number;
  /** Matches served before this cursor, when a filter is applied over an index range as it streams. */
  n?: number;
}

const VERSION = 1;

/** A short stable hash of the query identity (resource type, filter fingerprint, mode). */
export function queryHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 16);
}

/** Encodes a cursor for the query with hash `q`, tagged with the tenant's cursor key. */
export function encodeCursor(key: Buffer, q: string, state: CursorState): string {
  const payload = Buffer.from(JSON.stringify({ v: VERSION, q, ...state })).toString('base64url');
  return `${payload}.${tag(key, payload)}`;
}

function tag(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** Decodes a cursor issued for the query with hash `q` under `key`, or throws InvalidCursorError. */
export function decodeCursor(key: Buffer, q: string, cursor: string): CursorState {
  let parsed: unknown;
  try {
    const m = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(cursor);
    if (!m) throw new Error('not <payload>.<tag>');
    const expected = Buffer.from(tag(key, m[1]));
    if (!timingSafeEqual(expected, Buffer.from(m[2]))) throw new Error('tag mismatch');
    parsed = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch (e) {
    throw new InvalidCursorError('the cursor is not one this service issued', { cause: e });
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidCursorError('the cursor is not one this service issued');
  const c = parsed as { v?: unknown; q?: unknown; k?: unknown; o?: unknown; t?: unknown; n?: unknown };
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const total = { ...(count(c.t) ? { t: c.t } : {}), ...(count(c.n) ? { n: c.n } : {}) };
  if (c.v !== VERSION) throw new InvalidCursorError('the cursor is not one this service issued');
  if (c.q !== q) throw new InvalidCursorError('the cursor was issued for another query (filter, sort or resource type)');
  if (c.k !== undefined) {
    if (!c.k || typeof c.k !== 'object' || Object.values(c.k).some((v) => typeof v !== 'string') || typeof (c.k as Record<string, unknown>).PK !== 'string') {
      throw new InvalidCursorError('the cursor is not one this service issued');
    }
    return { k: c.k as Record<string, string>, ...total };
  }
  if (count(c.o)) return { o: c.o, ...total };
  throw new InvalidCursorError('the cursor is not one this service issued');
}
