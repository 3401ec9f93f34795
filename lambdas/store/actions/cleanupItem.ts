import { TABLE_DEFINITION } from '../../contracts/tableDefinition';
import type { ResourceType } from '../keys';
import type { TableRef } from './tableRef';

/** How long a pending-cleanup item outlives its recheck, whatever happens (TTL). */
const CLEANUP_ITEM_GRACE_SECONDS = 86_400;

/**
 * The pending-cleanup item of a deleted resource. Written with the delete (`at`), so a cleanup that
 * stops half way is found by continueCleanup; rewritten when the cleanup is done with the time of
 * its second reverse-index pass (`recheckAfter`), expiring a day after that. `tombstone` says the
 * resource item itself is left for that pass to delete (deletion.ts, deleteUserInOneTransaction).
 */
export function cleanupItem(
  t: TableRef,
  type: ResourceType,
  id: string,
  state: { at: Date } | { recheckAfter: Date; tombstone?: boolean },
): Record<string, unknown> {
  const key = t.keys.cleanup(type, id);
  if ('at' in state) return { ...key, at: state.at.toISOString() };
  return {
    ...key,
    recheckAfter: state.recheckAfter.toISOString(),
    // The resource item is still there as a tombstone (the one-transaction delete): the recheck removes it.
    ...(state.tombstone ? { tombstone: true } : {}),
    [TABLE_DEFINITION.ttlAttribute]: Math.floor(state.recheckAfter.getTime() / 1000) + CLEANUP_ITEM_GRACE_SECONDS,
  };
}
