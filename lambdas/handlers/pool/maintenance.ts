import { ScimStore } from '../../store';
import { POOL_KEYS } from '../../store/keys';
import { logger } from '../../http/observability';
import { FUNCTION_TIMEOUT_SECONDS } from '../../contracts/awsLimits';
import { runPoolMaintenance } from '../../pool/runPoolMaintenance';
import { lazy } from '../resources/deps';
import { CLEANUP_BUDGET_PER_RUN } from '../maintenance';
import { poolOptionsFromEnv } from './env';

const instance = lazy(() => {
  const { doc, tableName, directory } = poolOptionsFromEnv();
  return async () => {
    const result = await runPoolMaintenance({
      directory,
      storeFor: (tenant) => new ScimStore({ doc, tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant) }),
      budget: CLEANUP_BUDGET_PER_RUN,
      // Leave a minute of the timeout for the tenants in flight and the cursor write.
      timeBudgetMs: (FUNCTION_TIMEOUT_SECONDS.maintenance - 60) * 1000,
      startAfter: await directory.maintenanceCursor(),
    });
    await directory.setMaintenanceCursor(result.resumeAfter);
    logger.info('pool maintenance', { tenants: result.tenants, pendingCleanups: result.pending, resumeAfter: result.resumeAfter });
    return result;
  };
});

/**
 * Lambda entry point of the pooled stack's maintenance job, on the same EventBridge schedule as a
 * silo tenant's (MAINTENANCE_INTERVAL_MINUTES): the silo job for every tenant of the pool.
 */
export const handler = () => instance()();
