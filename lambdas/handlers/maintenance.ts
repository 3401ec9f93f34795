import { ScimStore } from '../store';
import { createDynamoClients } from '../store/clients';
import { logger } from '../http/observability';
import { lazy } from './resources/deps';
import { MAINTENANCE_INTERVAL_MINUTES } from '../contracts/schedules';
import { FUNCTION_TIMEOUT_SECONDS } from '../contracts/awsLimits';
import { recoverRollbacks } from '../provisioning/compensateBulk';

/** How often the maintenance job runs, in milliseconds (see MAINTENANCE_INTERVAL_MINUTES). */
export const MAINTENANCE_INTERVAL_MS = MAINTENANCE_INTERVAL_MINUTES * 60_000;

/** Membership items one scheduled run may delete: ~8 s of BatchWriteItem, well inside the timeout. */
export const CLEANUP_BUDGET_PER_RUN = 50_000;

/**
 * Creates the scheduled job: finishes group deletions whose membership cleanup was deferred, and
 * runs each delete's second reverse-index pass (late memberships from racing PATCHes), and
 * finishes the rollback of all-or-nothing BulkRequests whose invocation died (journals opened
 * more than the bulk function's timeout ago: no invocation can still own them).
 */
export function createMaintenanceHandler(store: ScimStore, now: () => Date = () => new Date()) {
  return async (): Promise<{ pending: number; rollbacksRecovered: number; rollbacksOpen: number }> => {
    const rollbacks = await recoverRollbacks(store, new Date(now().getTime() - FUNCTION_TIMEOUT_SECONDS.bulk * 1000));
    const pending = await store.continueCleanup({ budget: CLEANUP_BUDGET_PER_RUN });
    logger.info('maintenance', { pendingCleanups: pending, rollbacksRecovered: rollbacks.recovered, rollbacksOpen: rollbacks.open });
    return { pending, rollbacksRecovered: rollbacks.recovered, rollbacksOpen: rollbacks.open };
  };
}

const instance = lazy(() => {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
  return createMaintenanceHandler(new ScimStore({ doc, tableName }));
});

/**
 * Lambda entry point, run every few minutes by an EventBridge schedule (lib/ScimFunctions.ts):
 * deleting a group of 100,000 members removes the group at once (invisible through the API) and
 * its membership items in bounded batches, the rest here; and a membership a racing PATCH wrote
 * for a member being deleted is removed here within minutes.
 */
export const handler = () => instance()();
