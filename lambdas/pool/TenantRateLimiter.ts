/** Options of {@link TenantRateLimiter}. */
export interface TenantRateLimiterOptions {
  /** Steady requests per second per tenant. */
  readonly ratePerSecond: number;
  /** Requests a tenant may send at once above the steady rate. */
  readonly burst: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A token bucket per tenant: what API Gateway's usage plan does per API key in the pooled stack,
 * for the local server, from the same limits (lambdas/contracts/poolLimits.ts). One tenant's
 * initial sync then cannot starve the others: past its bucket it gets 429 with Retry-After.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TenantRateLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes one request from the tenant's bucket; false when it is empty (answer 429). */
  take(tenant: string): boolean {
    const t = this.now();
    const b = this.buckets.get(tenant) ?? { tokens: this.options.burst, at: t };
    b.tokens = Math.min(this.options.burst, b.tokens + ((t - b.at) / 1000) * this.options.ratePerSecond);
    b.at = t;
    this.buckets.set(tenant, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
