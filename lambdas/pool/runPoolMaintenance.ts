import type { ScimStore } from '../store';
import type { PoolDirectory } from '../store/PoolDirectory';
import { recoverRollbacks } from '../provisioning/compensateBulk';
import { FUNCTION_TIMEOUT_SECONDS } from '../contracts/awsLimits';

/** Options of {@link runPoolMaintenance}. */
export interface PoolMaintenanceOptions {
  readonly directory: PoolDirectory;
  /** The store of one tenant (its key space in the shared table). */
  readonly storeFor: (tenant: string) => ScimStore;
  /** Membership items one run may delete across all tenants (the silo job's CLEANUP_BUDGET_PER_RUN). */
  readonly budget: number;
  /** Stop starting tenants after this many ms (well inside the function's timeout); the next run resumes. */
  readonly timeBudgetMs: number;
  /** Where the previous run stopped (a tenant name), so a run cut short does not starve the tenants after it. */
  readonly startAfter?: string;
  /** Tenants cleaned at once. @default 8 */
  readonly concurrency?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What one run did. */
export interface PoolMaintenanceResult {
  /** Tenants whose cleanup ran. */
  readonly tenants: number;
  /** Deletions still incomplete, summed over those tenants. */
  readonly pending: number;
  /** The last tenant handled when the run stopped early (pass as `startAfter` next time); absent when it reached the end. */
  readonly resumeAfter?: string;
}

/**
 * The silo stack's scheduled maintenance (store.continueCleanup: deferred membership cleanup of
 * large group deletions, the second reverse-index pass of every delete) for every tenant of a pool,
 * from one schedule instead of one per tenant. Tenants come from the directory's listing, disabled
 * ones included (their data still needs its deletions finished); a tenant being deleted is skipped
 * (the delete removes everything). It also finishes the rollback of all-or-nothing BulkRequests
 * whose invocation died (provisioning/compensateBulk.ts). An idle tenant costs two Queries, so
 * 10,000 tenants cost 20,000 small Queries a run. The cleanup budget is shared; a run cut short by its time or cleanup
 * budget answers where it stopped, and the next run goes on from there to the end of the listing
 * (then starts over), so every tenant is reached within a few runs whatever the others hold.
 */
export async function runPoolMaintenance(options: PoolMaintenanceOptions): Promise<PoolMaintenanceResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const concurrency = options.concurrency ?? 8;
  let budget = options.budget;
  let tenants = 0;
  let pending = 0;
  let cursor = options.startAfter;
  for (;;) {
    const page = await options.directory.listTenants({ cursor, limit: 500 });
    const due = page.tenants.filter((t) => t.status !== 'deleting');
    for (let i = 0; i < due.length; i += concurrency) {
      if (now() - started > options.timeBudgetMs || budget <= 0) return { tenants, pending, ...(cursor ? { resumeAfter: cursor } : {}) };
      const slice = due.slice(i, i + concurrency);
      const share = Math.max(1, Math.floor(budget / slice.length));
      // Rollback journals of all-or-nothing BulkRequests whose invocation died (no bulk can still own one older than its timeout).
      const openedBefore = new Date(now() - FUNCTION_TIMEOUT_SECONDS.bulk * 1000);
      const left = await Promise.all(
        slice.map(async (t) => {
          const store = options.storeFor(t.tenant);
          await recoverRollbacks(store, openedBefore);
          return store.continueCleanup({ budget: share });
        }),
      );
      tenants += slice.length;
      pending += left.reduce((a, b) => a + b, 0);
      // A tenant with deletions still pending used its whole share; one with none used little.
      budget -= share * left.filter((n) => n > 0).length;
      cursor = slice[slice.length - 1].tenant;
    }
    if (!page.cursor) return { tenants, pending };
    cursor = page.cursor;
  }
}
