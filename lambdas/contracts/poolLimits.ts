/**
 * Per-tenant limits of the pooled stack, one source for the stack (the usage plan's throttle per
 * tenant API key) and the local server (lambdas/pool/TenantRateLimiter.ts). Entra's gallery
 * requires at least 25 requests/s per tenant; an initial sync of one tenant must leave room for
 * the others on the shared API's stage limit.
 */
export const POOL_TENANT_LIMITS = {
  /** Steady requests per second per tenant. */
  ratePerSecond: 50,
  /** Burst per tenant. */
  burst: 100,
} as const;

/**
 * The API key value a tenant's usage is metered under: API Gateway takes 20 to 128 alphanumeric
 * characters, so the tenant name (letters, digits, dashes; at most 40) is hex-encoded: distinct
 * tenants never share a key, and 19 + 80 characters fit. Clients never see or send it (the API key
 * source is the authorizer), so it need not be secret.
 */
export function poolUsageKey(tenant: string): string {
  let hex = '';
  for (const ch of tenant) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return `scimpooltenantusage${hex}`;
}

/** Seconds a pooled function may run behind API Gateway (its 29 s integration timeout less a margin). */
export const POOL_MANAGEMENT_TIMEOUT_SECONDS = 28;

/**
 * Seconds between a tenant delete's first call (tokens revoked, status `deleting`) and the removal
 * of its record: longer than every cache that could still let a request of the tenant through
 * (API Gateway's authorizer cache, at most 120 s by the pool config's bound; the authorizer's
 * 30 s; the functions' 60 s configuration cache). The deletion runs meanwhile; a last
 * sweep after it catches anything written late.
 */
export const POOL_DELETE_QUIET_SECONDS = 300;

/**
 * How much work one call of the management API's data routes (export page, delete step) does
 * before answering with a cursor to continue: well inside the function's timeout and Lambda's
 * 6 MB response, so a tenant of any size is exported or deleted by repeating the call.
 */
export const POOL_DATA_STEP = {
  /** Resources in one export page. */
  exportPageSize: 200,
  /** Milliseconds one delete step works before it answers "call again". */
  deleteBudgetMs: 15_000,
} as const;

/**
 * API Gateway method throttling on the pool's unauthenticated token route (`/t/{tenant}/oauth2/token`),
 * shared by every tenant: an IdP asks for a token once per access token lifetime (60 minutes or
 * more), so 10,000 tenants need about 3 a second; 50 a second (burst 100) leaves room for a whole
 * fleet of IdPs restarting at once and still bounds guessing. A flood from one guesser can make
 * other tenants' token requests wait (429 with Retry-After, which Entra retries); their access
 * tokens already issued keep working, since SCIM calls never pass this route.
 */
export const POOL_TOKEN_ROUTE_LIMITS = { rateLimit: 50, burstLimit: 100 } as const;
