import { createHash, randomBytes } from 'node:crypto';

/**
 * Token format: `scim_<tenant>_<43 chars of base64url>` carrying 32 random bytes (256 bits).
 * The fixed prefix lets secret scanners (GitHub, gitleaks) and humans recognise a leaked token;
 * tenant names cannot contain `_`, so a token splits unambiguously.
 */
export const TOKEN_PREFIX = 'scim_';

/** Tenant names: lowercase letters, digits and `-`, 1 to 40 characters (no `_`: it separates token parts). */
export const TENANT_PATTERN = /^[a-z0-9-]{1,40}$/;

/** A whole token; anchored so nothing can ride along before or after it. */
export const TOKEN_PATTERN = /^scim_([a-z0-9-]{1,40})_([A-Za-z0-9_-]{43})$/;

/** True when `tenant` is a valid tenant name. */
export function isValidTenant(tenant: string): boolean {
  return TENANT_PATTERN.test(tenant);
}

/** Generates a new token for `tenant`: 256 bits from the CSPRNG, base64url without padding (43 chars). */
export function generateToken(tenant: string): string {
  if (!isValidTenant(tenant)) throw new Error(`invalid tenant name "${tenant}": expected [a-z0-9-]{1,40}`);
  return `${TOKEN_PREFIX}${tenant}_${randomBytes(32).toString('base64url')}`;
}

/** Splits a well-formed token into its tenant and random part; undefined for anything else. */
export function parseToken(token: string): { tenant: string } | undefined {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { tenant: m[1] } : undefined;
}

/** SHA-256 of the token, lowercase hex: the only form a token is ever stored in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The token's short public id (`tok_` + 12 hex of its SHA-256) for logs, audit and `revoke --id`.
 * 48 bits of a hash of 256 random bits reveal nothing usable about the token.
 */
export function tokenId(token: string): string {
  return tokenIdFromHash(hashToken(token));
}

/** The token id from an already computed SHA-256 hex digest. */
export function tokenIdFromHash(sha256Hex: string): string {
  return `tok_${sha256Hex.slice(0, 12)}`;
}
