/**
 * Pure transaction-action builders, one per module (modelled on dynamodb-toolbox's one action per
 * command): each returns the DynamoDB request of one write and, where its condition can fail,
 * what that failure means. No client, no I/O: test/store/actions.test.ts checks them directly.
 */
export type { TableRef } from './tableRef';
export { putResource } from './putResource';
export { updateResourceData, type ResourceUpdate } from './updateResourceData';
export { hideResource, tombstoneResource } from './hideResource';
export { putMarker } from './putMarker';
export { deleteMarker } from './deleteMarker';
export { putLookup, deleteLookup } from './putLookup';
export { indexChanges } from './indexChanges';
export { bumpCounter } from './bumpCounter';
export { putAudit } from './putAudit';
export { cleanupItem } from './cleanupItem';
export { bumpGroupVersion } from './bumpGroupVersion';
export { memberActions, removeDeletedMember } from './memberActions';
export { splitOps, opCost, memberCountDelta, dedupeMembers, type MemberOp } from './memberOps';
export { onVersionFailed, checkVersion, versionSatisfies } from './onVersionFailed';
