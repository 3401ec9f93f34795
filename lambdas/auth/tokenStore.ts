import { ConcurrentModificationError, TokenNotFoundError, TokenRevokedError } from './errors';
import type { SecretSource } from './SecretSource';
import { DEFAULT_SCOPES, assertScopesSeparate, type Scope } from './scopes';
import { TOKEN_PREFIX, generateToken, hashToken, parseToken, tokenIdFromHash } from './token';
import { emptyTokenSecret, parseTokenSecret, tokenStatus, type TokenRecord, type TokenSecret, type TokenStatus } from './tokenSecret';

/**
 * The token life cycle over a SecretSource: create, rotate, revoke, list. Each change is a
 * read-modify-write of the whole secret guarded by the source's version check (see
 * SecretsManagerSecretSource for the residual race). Rotation without downtime: rotateToken adds a
 * new token while the old stays valid; paste the new one into the IdP, then revokeToken the old.
 */

/** Options of createToken. */
export interface CreateTokenOptions {
  readonly tenant: string;
  /** Free text shown by `list`, e.g. "Entra ID production". */
  readonly label: string;
  /** Lifetime from now, ms. @default no expiry */
  readonly expiresInMs?: number;
  /** @default DEFAULT_SCOPES (read and write) */
  readonly scopes?: readonly Scope[];
  /** Clock, ms since epoch. @default Date.now */
  readonly now?: () => number;
}

/** A new token: `token` is shown once and never stored; `record` is what the secret keeps. */
export interface CreatedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** A token as `list` shows it: no hash, no token. */
export interface TokenSummary {
  readonly id: string;
  readonly label: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly status: TokenStatus;
}

/** Reads and validates the secret; an absent value is an empty secret. Shared with the OAuth client store. */
export async function loadTokenSecret(source: SecretSource, tenant: string): Promise<{ secret: TokenSecret; versionId: string | undefined }> {
  const snapshot = await source.read();
  const secret = snapshot.text === undefined ? emptyTokenSecret(tenant) : parseTokenSecret(snapshot.text, tenant);
  return { secret, versionId: snapshot.versionId };
}

/** Writes the whole secret back, guarded by the version read with `load`. */
export async function saveTokenSecret(source: SecretSource, secret: TokenSecret, versionId: string | undefined): Promise<void> {
  await source.write(`${JSON.stringify(secret, null, 2)}\n`, versionId);
}

/** Issues a token for `tenant`, stores its hash, and returns the token (the only time it exists). */
export async function createToken(source: SecretSource, options: CreateTokenOptions): Promise<CreatedToken> {
  const now = (options.now ?? Date.now)();
  const scopes = [...new Set(options.scopes ?? DEFAULT_SCOPES)];
  if (scopes.length === 0) throw new Error('a token needs at least one scope');
  assertScopesSeparate(scopes);
  if (options.expiresInMs !== undefined && !(options.expiresInMs > 0)) throw new Error('expiresInMs must be positive');
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const token = generateToken(options.tenant);
  const sha256 = hashToken(token);
  const record: TokenRecord = {
    id: tokenIdFromHash(sha256),
    sha256,
    createdAt: new Date(now).toISOString(),
    ...(options.expiresInMs !== undefined ? { expiresAt: new Date(now + options.expiresInMs).toISOString() } : {}),
    label: options.label,
    scopes,
  };
  // 48-bit ids collide with negligible odds; a collision would make `revoke --id` ambiguous.
  if (secret.tokens.some((t) => t.id === record.id)) throw new ConcurrentModificationError('token id collision; run the command again');
  await saveTokenSecret(source, { ...secret, tokens: [...secret.tokens, record] }, versionId);
  return { token, record };
}

/** Options of rotateToken. */
export interface RotateTokenOptions extends Omit<CreateTokenOptions, 'label' | 'scopes'> {
  /** The token being replaced; its label and scopes are the defaults of the new one. */
  readonly replaces?: string;
  /** @default the replaced token's label, else "rotated" */
  readonly label?: string;
  /** @default the replaced token's scopes, else DEFAULT_SCOPES */
  readonly scopes?: readonly Scope[];
}

/**
 * Creates the successor of a token while the old one stays valid (zero-downtime rotation).
 * Returns the new token and the record it replaces, if any; revoke that one once the IdP uses the
 * new token.
 */
export async function rotateToken(source: SecretSource, options: RotateTokenOptions): Promise<CreatedToken & { replaced?: TokenRecord }> {
  let replaced: TokenRecord | undefined;
  if (options.replaces !== undefined) {
    const { secret } = await loadTokenSecret(source, options.tenant);
    replaced = secret.tokens.find((t) => t.id === options.replaces);
    if (!replaced) throw new TokenNotFoundError(options.replaces);
  }
  const created = await createToken(source, {
    ...options,
    label: options.label ?? replaced?.label ?? 'rotated',
    scopes: options.scopes ?? replaced?.scopes,
  });
  return { ...created, ...(replaced ? { replaced } : {}) };
}

/** Options of revokeToken. */
export interface RevokeTokenOptions {
  readonly tenant: string;
  /** The token id (`tok_...`). */
  readonly id: string;
  /** Allow revoking the last active token (which cuts the IdP off). @default false */
  readonly force?: boolean;
  /** Clock, ms since epoch. @default Date.now */
  readonly now?: () => number;
}

/** Thrown when revoking would leave no active token and `force` was not given. */
export class LastActiveTokenError extends Error {
  override name = 'LastActiveTokenError';
}

/**
 * Marks a token revoked from now on (kept in the secret for audit). Refuses to revoke the last
 * active token unless `force`: that is almost always a rotation done in the wrong order.
 * Revoking an already revoked token keeps its original `revokedAt`.
 */
export async function revokeToken(source: SecretSource, options: RevokeTokenOptions): Promise<TokenRecord> {
  const now = (options.now ?? Date.now)();
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const target = secret.tokens.find((t) => t.id === options.id);
  if (!target) throw new TokenNotFoundError(options.id);
  if (tokenStatus(target, now) === 'revoked') return target;
  const othersActive = secret.tokens.some((t) => t.id !== target.id && tokenStatus(t, now) === 'active');
  if (tokenStatus(target, now) === 'active' && !othersActive && !options.force) {
    throw new LastActiveTokenError(`${target.id} is the last active token; revoking it cuts the IdP off (use force to do it anyway)`);
  }
  const revoked: TokenRecord = { ...target, revokedAt: new Date(now).toISOString() };
  await saveTokenSecret(source, { ...secret, tokens: secret.tokens.map((t) => (t.id === target.id ? revoked : t)) }, versionId);
  return revoked;
}

/** The tenant's tokens without hashes, oldest first, with their status at `now`. */
export async function listTokens(source: SecretSource, options: { tenant: string; now?: () => number }): Promise<TokenSummary[]> {
  const now = (options.now ?? Date.now)();
  const { secret } = await loadTokenSecret(source, options.tenant);
  return secret.tokens.map((t) => ({
    id: t.id,
    label: t.label,
    scopes: t.scopes,
    createdAt: t.createdAt,
    ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
    ...(t.revokedAt !== undefined ? { revokedAt: t.revokedAt } : {}),
    status: tokenStatus(t, now),
  }));
}

/** Options of importToken. */
export interface ImportTokenOptions {
  readonly tenant: string;
  /** A token in our format (`scim_<tenant>_<43 chars>`), e.g. from SCIM_LOCAL_TOKEN. */
  readonly token: string;
  readonly label: string;
  /** @default DEFAULT_SCOPES */
  readonly scopes?: readonly Scope[];
  readonly now?: () => number;
}

/**
 * Stores the hash of a token the operator chose (the local server's SCIM_LOCAL_TOKEN), so scripts
 * can keep one token across restarts. Idempotent: an active token already present is left as it
 * is; a revoked or expired one throws TokenRevokedError and nothing is written.
 */
export async function importToken(source: SecretSource, options: ImportTokenOptions): Promise<TokenRecord> {
  const parsed = parseToken(options.token);
  if (!parsed || parsed.tenant !== options.tenant) {
    throw new Error(`the token must look like ${TOKEN_PREFIX}${options.tenant}_<43 base64url characters> (e.g. one printed by npm start)`);
  }
  const { secret, versionId } = await loadTokenSecret(source, options.tenant);
  const sha256 = hashToken(options.token);
  // A revoked or expired token stays refused: adding a second record for it would bring a revoked
  // credential back, and two records with one id make the secret unreadable (every token 401).
  const known = secret.tokens.find((t) => t.sha256 === sha256);
  if (known) {
    const status = tokenStatus(known, (options.now ?? Date.now)());
    if (status !== 'active') {
      throw new TokenRevokedError(
        `${options.label} names token ${known.id}, which is ${status}${known.revokedAt ? ` since ${known.revokedAt}` : ''}: unset it to get a new token, or set a token that is still active (npm run token -- list --local <dataDir>)`,
      );
    }
    return known;
  }
  const record: TokenRecord = {
    id: tokenIdFromHash(sha256),
    sha256,
    createdAt: new Date((options.now ?? Date.now)()).toISOString(),
    label: options.label,
    scopes: [...new Set(options.scopes ?? DEFAULT_SCOPES)],
  };
  await saveTokenSecret(source, { ...secret, tokens: [...secret.tokens, record] }, versionId);
  return record;
}
