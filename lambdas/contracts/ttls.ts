/**
 * How long things live, in one place for lib/ (which deploys the caches and schedules) and the
 * runtime (which reads and writes them), so the figures the README, /ServiceProviderConfig and the
 * token CLI print agree with what runs. A leaf module: it imports nothing.
 */

/**
 * API Gateway's authorizer result TTL: the policy is cached per Authorization header value for
 * this long (lib/ScimApi.ts, and the tenant configuration's default).
 */
export const API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS = 300;

/** How long an authorizer container keeps its copy of the token secret. */
export const SECRET_CACHE_TTL_MS = 60_000;

/** The same for the local dev server: short, so CLI rotations show up almost at once. */
export const LOCAL_SECRET_CACHE_TTL_MS = 1_000;

/**
 * How long a failed secret read is remembered: long enough not to hammer Secrets Manager while it
 * throttles, short enough that recovery is near-immediate (every request in between is denied).
 */
export const SECRET_ERROR_CACHE_TTL_MS = 1_000;

/**
 * Worst-case seconds between revoking a token and its last accepted call: the container's copy
 * of the secret plus API Gateway's cached policy (60 s + 300 s = 6 minutes with the defaults).
 */
export function revocationDelaySeconds(apiGatewayAuthorizerTtlSeconds: number = API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS, secretCacheTtlMs = SECRET_CACHE_TTL_MS): number {
  return Math.ceil(secretCacheTtlMs / 1000) + apiGatewayAuthorizerTtlSeconds;
}

/** Seconds an RFC 9865 cursor and a startIndex page position stay valid (the store's page-cursor TTL). */
export const PAGE_CURSOR_TTL_SECONDS = 900;

/** Days an audit record is kept before DynamoDB's TTL removes it. */
export const AUDIT_RETENTION_DAYS = 400;
