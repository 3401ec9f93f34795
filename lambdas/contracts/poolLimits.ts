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

/** The API key value a tenant's usage is metered under (API Gateway wants at least 20 characters). */
export function poolUsageKey(tenant: string): string {
  return `scim-pool-tenant-usage-${tenant}`;
}
