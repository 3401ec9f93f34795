import { randomBytes, scryptSync } from 'node:crypto';

/** Parameters chosen to stay within a Lambda's memory and ~50 ms; recorded in the hash so they can change. */
const N = 16384;
const R = 8;
const P = 1;

/**
 * Hashes a SCIM `password` (RFC 7643 §4.1.1: write-only, never returned) with scrypt; the
 * cleartext is never stored. Format: `scrypt$N$r$p$salt$hash` (base64url).
 */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  // Synchronous on purpose: PATCH applies inside the store's optimistic-update callback.
  const hash = scryptSync(password.normalize('NFC'), salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True for a value {@link hashPassword} produced (an untouched password carried through PATCH/PUT). */
export function isPasswordHash(value: unknown): boolean {
  return typeof value === 'string' && /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(value);
}
