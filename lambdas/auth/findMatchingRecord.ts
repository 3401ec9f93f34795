import { timingSafeEqual } from 'node:crypto';
import { hashToken } from './token';
import type { TokenRecord } from './tokenSecret';

/** A constant-time comparison of two equal-length buffers; injectable so tests can observe it. */
export type ConstantTimeEqual = (a: Buffer, b: Buffer) => boolean;

/**
 * Finds the record whose hash equals the token's hash. The token's hash is compared with EVERY
 * record's hash, in constant time, without stopping at a match, so the time taken does not tell
 * an attacker which record (or how much of a hash) matched. Validity (expiry, revocation) is
 * checked afterwards by the caller, on the one match.
 */
export function findMatchingRecord(
  token: string,
  records: readonly TokenRecord[],
  equal: ConstantTimeEqual = timingSafeEqual,
): TokenRecord | undefined {
  const presented = Buffer.from(hashToken(token), 'hex');
  let match: TokenRecord | undefined;
  for (const record of records) {
    // Both sides are 32 bytes: the schema pins sha256 to 64 hex digits.
    const equalHash = equal(presented, Buffer.from(record.sha256, 'hex'));
    if (equalHash && match === undefined) match = record;
  }
  return match;
}
