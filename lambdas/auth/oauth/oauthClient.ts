import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
// zod/mini like the rest of the Lambda code: the authorizer bundle stays small.
import * as z from 'zod/mini';
import { SCOPES } from '../scopes';

/**
 * OAuth clients (client credentials, RFC 6749 §4.4) live in the tenant's token secret next to the
 * static tokens, under `clients`. Like tokens, a client secret is 256 random bits shown once and
 * stored as its SHA-256 only; a client holds several secrets so one can be rotated while the other
 * still works.
 */

/** Client ids: `cli_` + 16 hex digits (64 random bits; public, but not guessable in bulk). */
export const CLIENT_ID_PATTERN = /^cli_[0-9a-f]{16}$/;

/** Secret ids: `sec_` + the first 12 hex digits of the secret's SHA-256 (like token ids). */
export const SECRET_ID_PATTERN = /^sec_[0-9a-f]{12}$/;

/** Client secrets: `scimcs_<tenant>_<43 base64url chars>`; the prefix lets secret scanners spot a leak. */
export const CLIENT_SECRET_PATTERN = /^scimcs_([a-z0-9-]{1,40})_([A-Za-z0-9_-]{43})$/;

/** Active secrets a client may hold at once ("N"): enough for rotation with overlap, few enough to audit. */
export const MAX_ACTIVE_SECRETS = 3;

/** Secret records kept per client, revoked and expired ones included (oldest inactive ones are pruned). */
export const MAX_SECRET_RECORDS = 6;

/** Clients per tenant: the secret is capped at 64 KB by Secrets Manager and shared with the tokens. */
export const MAX_CLIENTS = 10;

/** One client secret, by hash only. */
export const ClientSecretRecordSchema = z
  .object({
    id: z.string().check(z.regex(SECRET_ID_PATTERN)),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    createdAt: z.iso.datetime(),
    expiresAt: z.optional(z.iso.datetime()),
    revokedAt: z.optional(z.iso.datetime()),
  })
  .check(z.refine((r) => r.id === secretIdFromHash(r.sha256), { message: 'id does not match sha256', path: ['id'] }));

/** One stored client secret. */
export type ClientSecretRecord = z.output<typeof ClientSecretRecordSchema>;

/** One OAuth client. */
export const OAuthClientRecordSchema = z
  .object({
    id: z.string().check(z.regex(CLIENT_ID_PATTERN)),
    label: z.string().check(z.maxLength(200)),
    scopes: z.array(z.enum(SCOPES)).check(z.minLength(1), z.maxLength(SCOPES.length)),
    createdAt: z.iso.datetime(),
    revokedAt: z.optional(z.iso.datetime()),
    secrets: z.array(ClientSecretRecordSchema).check(z.maxLength(MAX_SECRET_RECORDS)),
  })
  .check(z.refine((c) => new Set(c.secrets.map((s) => s.id)).size === c.secrets.length, { message: 'duplicate secret ids', path: ['secrets'] }));

/** One stored OAuth client. */
export type OAuthClientRecord = z.output<typeof OAuthClientRecordSchema>;

/** State of a client or a secret at a time. */
export type CredentialStatus = 'active' | 'expired' | 'revoked';

/** A secret's state at `now` (ms): revocation wins over expiry. */
export function secretStatus(record: ClientSecretRecord, now: number): CredentialStatus {
  if (record.revokedAt !== undefined && Date.parse(record.revokedAt) <= now) return 'revoked';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return 'expired';
  return 'active';
}

/** A client's state at `now` (ms). */
export function clientStatus(client: OAuthClientRecord, now: number): 'active' | 'revoked' {
  return client.revokedAt !== undefined && Date.parse(client.revokedAt) <= now ? 'revoked' : 'active';
}

/** A new client id from the CSPRNG. */
export function generateClientId(): string {
  return `cli_${randomBytes(8).toString('hex')}`;
}

/** A new client secret for `tenant`: 256 bits from the CSPRNG. */
export function generateClientSecret(tenant: string): string {
  return `scimcs_${tenant}_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a client secret: the only form it is stored in. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The public id of a secret from its hash. */
export function secretIdFromHash(sha256Hex: string): string {
  return `sec_${sha256Hex.slice(0, 12)}`;
}

/**
 * The client's active secret matching `presented`, compared in constant time with EVERY one of
 * its secrets (no early exit), or undefined. Only active secrets are returned: an expired or
 * revoked one fails exactly like a wrong one.
 */
export function matchClientSecret(client: OAuthClientRecord, presented: string, now: number): ClientSecretRecord | undefined {
  const digest = Buffer.from(hashClientSecret(presented), 'hex');
  let match: ClientSecretRecord | undefined;
  for (const record of client.secrets) {
    const equal = timingSafeEqual(digest, Buffer.from(record.sha256, 'hex'));
    if (equal && match === undefined) match = record;
  }
  return match && secretStatus(match, now) === 'active' ? match : undefined;
}
