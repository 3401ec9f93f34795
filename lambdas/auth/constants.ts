/**
 * Revocation delay. A revoked (or expired) token can still be accepted for at most
 *
 *   SECRET_CACHE_TTL_MS (this container's copy of the secret)
 *   + API Gateway's authorizer result TTL (the policy cached per Authorization header value)
 *
 * With the stack's 300 s API Gateway TTL that is 60 s + 300 s = 6 minutes. `revocationDelaySeconds`
 * computes it so lib/ and the README print the same number.
 */
export const SECRET_CACHE_TTL_MS = 60_000;

/** Cache TTL for the local dev server: short, so CLI rotations show up almost at once. */
export const LOCAL_SECRET_CACHE_TTL_MS = 1_000;

/**
 * How long a failed secret read is remembered: long enough not to hammer Secrets Manager while it
 * throttles, short enough that recovery is near-immediate (every request in between is denied).
 */
export const SECRET_ERROR_CACHE_TTL_MS = 1_000;

/** Worst-case seconds between revoking a token and its last accepted call. */
export function revocationDelaySeconds(apiGatewayAuthorizerTtlSeconds: number, secretCacheTtlMs = SECRET_CACHE_TTL_MS): number {
  return Math.ceil(secretCacheTtlMs / 1000) + apiGatewayAuthorizerTtlSeconds;
}

/**
 * API Gateway's authorizer result TTL the tenant stack is expected to use (lib/ should import this
 * rather than repeat 300), so the revocation delay printed here and by the stack agree.
 */
export const API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS = 300;
