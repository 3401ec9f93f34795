// zod/mini: tree-shakes to the checks used (no locale data), keeping the authorizer bundle small.
import * as z from 'zod/mini';
import { SecretMalformedError } from './errors';
import { MAX_CLIENTS, OAuthClientRecordSchema } from './oauth/oauthClient';
import { SCOPES } from './scopes';
import { TENANT_PATTERN, tokenIdFromHash } from './token';

/**
 * Upper bound on records in one secret: Secrets Manager caps a secret at 64 KB and a record is
 * ~300 bytes; a few dozen tokens is already far more than rotation needs.
 */
export const MAX_TOKEN_RECORDS = 100;

/** One issued token, by hash only: the token itself is never stored anywhere. */
export const TokenRecordSchema = z
  .object({
    id: z.string().check(z.regex(/^tok_[0-9a-f]{12}$/)),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    createdAt: z.iso.datetime(),
    expiresAt: z.optional(z.iso.datetime()),
    revokedAt: z.optional(z.iso.datetime()),
    label: z.string().check(z.maxLength(200)),
    scopes: z.array(z.enum(SCOPES)).check(z.minLength(1), z.maxLength(SCOPES.length)),
  })
  // The id is derived from the hash; a mismatch means a hand-edited, untrustworthy record.
  .check(z.refine((r) => r.id === tokenIdFromHash(r.sha256), { message: 'id does not match sha256', path: ['id'] }));

/** One issued token record. */
export type TokenRecord = z.output<typeof TokenRecordSchema>;

/** The JSON held by the tenant's secret (Secrets Manager or the local tokens file). */
export const TokenSecretSchema = z
  .object({
    version: z.literal(1),
    tenant: z.string().check(z.regex(TENANT_PATTERN)),
    tokens: z.array(TokenRecordSchema).check(z.maxLength(MAX_TOKEN_RECORDS)),
    /**
     * OAuth clients (issue 16), absent until the first `client create`: the stack's seed value
     * (emptyTokenSecret) must stay byte-for-byte what it was, or a deploy would overwrite the hashes.
     */
    clients: z.optional(z.array(OAuthClientRecordSchema).check(z.maxLength(MAX_CLIENTS))),
  })
  .check(
    z.refine((s) => new Set(s.tokens.map((t) => t.id)).size === s.tokens.length, { message: 'duplicate token ids', path: ['tokens'] }),
    z.refine((s) => new Set((s.clients ?? []).map((c) => c.id)).size === (s.clients ?? []).length, { message: 'duplicate client ids', path: ['clients'] }),
  );

/** The tenant's token secret. */
export type TokenSecret = z.output<typeof TokenSecretSchema>;

/**
 * The secret's initial value, with no token: lib/ seeds the Secrets Manager secret with
 * `JSON.stringify(emptyTokenSecret(tenant))` (a generated random string would be malformed).
 */
export function emptyTokenSecret(tenant: string): TokenSecret {
  return { version: 1, tenant, tokens: [] };
}

/**
 * Parses and validates the secret's text for `tenant`. Throws SecretMalformedError whose message
 * and issues name paths and rules only, never values, so they are safe to log.
 */
export function parseTokenSecret(text: string, tenant: string): TokenSecret {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretMalformedError('token secret is not valid JSON');
  }
  const result = TokenSecretSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SecretMalformedError(`token secret does not match the expected shape: ${issues.join('; ')}`, issues);
  }
  // A secret of another tenant wired to this stack must not let that tenant's tokens in.
  if (result.data.tenant !== tenant) {
    throw new SecretMalformedError(`token secret belongs to tenant "${result.data.tenant}", expected "${tenant}"`);
  }
  return result.data;
}

/** A token record's state at `now` (ms since epoch). */
export type TokenStatus = 'active' | 'expired' | 'revoked';

/** Whether the record is usable at `now`: revocation wins over expiry. */
export function tokenStatus(record: TokenRecord, now: number): TokenStatus {
  if (record.revokedAt !== undefined && Date.parse(record.revokedAt) <= now) return 'revoked';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return 'expired';
  return 'active';
}
