import { SECRET_ERROR_CACHE_TTL_MS } from './constants';
import type { SecretSource } from './SecretSource';
import { parseTokenSecret, type TokenSecret } from './tokenSecret';

/** Options of createCachedSecretReader. */
export interface CachedSecretReaderOptions {
  readonly source: SecretSource;
  /** The tenant the secret must belong to. */
  readonly tenant: string;
  /** How long a good secret is reused, in ms (bounds the revocation delay). */
  readonly ttlMs: number;
  /** How long a failure is reused, in ms. @default SECRET_ERROR_CACHE_TTL_MS */
  readonly errorTtlMs?: number;
  /** Clock in ms since epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * Returns a function giving the parsed token secret, cached for `ttlMs`. A read or parse failure
 * rejects (the authorizer then denies: fail closed) and is remembered only `errorTtlMs`; a stale
 * copy is never served after a failure, since that could extend a revocation indefinitely.
 * Concurrent callers share one in-flight read (the local server serves requests in parallel).
 */
export function createCachedSecretReader(options: CachedSecretReaderOptions): () => Promise<TokenSecret> {
  const now = options.now ?? Date.now;
  const errorTtlMs = options.errorTtlMs ?? SECRET_ERROR_CACHE_TTL_MS;
  let cached: { value: Promise<TokenSecret>; expiresAt: number } | undefined;

  return () => {
    const t = now();
    if (cached && t < cached.expiresAt) return cached.value;
    const value = load();
    const entry = { value, expiresAt: Number.POSITIVE_INFINITY };
    cached = entry;
    // Expiry counts from when the read settles, so a slow read does not shorten the cache.
    value.then(
      () => { entry.expiresAt = now() + options.ttlMs; },
      () => { entry.expiresAt = now() + errorTtlMs; },
    );
    return value;
  };

  async function load(): Promise<TokenSecret> {
    const snapshot = await options.source.read();
    if (snapshot.text === undefined) return { version: 1, tenant: options.tenant, tokens: [] };
    return parseTokenSecret(snapshot.text, options.tenant);
  }
}
