/**
 * The provisioning layer: one use case per SCIM write, deciding above the store as Powertools'
 * idempotency layer decides above its DynamoDB persistence. Each owns its optimistic retry (read,
 * decide, write on that version, again after a concurrent write) and returns the resource and its
 * effect: what really changed, which metrics, the audit trail and events read. Routes and /Bulk
 * call these; none of them calls back up.
 */
export type { ProvisioningContext, WriteRequest } from './context';
export type { Effect, WriteResult } from './effect';
export { effectMetrics, type EffectMetric } from './effectMetrics';
export { createUser } from './createUser';
export { replaceUser } from './replaceUser';
export { patchUser } from './patchUser';
export { createGroup } from './createGroup';
export { replaceGroup } from './replaceGroup';
export { patchGroup } from './patchGroup';
export { deleteUser, deleteGroup, type DeleteOutcome } from './deleteResource';
export { runBulk, type BulkOutcome, type BulkEnvironment } from './runBulk';
export { compensateEntry, recoverRollbacks, type Compensation } from './compensateBulk';
