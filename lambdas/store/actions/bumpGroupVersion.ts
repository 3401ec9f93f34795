import { versionMatches } from '../conditions';
import type { StoredResource } from '../items';
import { modifiedIndexSet } from '../sortedIndexes';
import type { TxAction } from '../transactWrite';
import { onVersionFailed } from './onVersionFailed';
import type { TableRef } from './tableRef';

/**
 * The group-item write of a member chunk past the first transaction: a version bump and the
 * memberCount change, on the version read, so every chunk is ordered against concurrent writers.
 */
export function bumpGroupVersion(t: TableRef, group: StoredResource, memberDelta: number, now: string): TxAction {
  const modified = modifiedIndexSet(t.keys, 'Group');
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.resource('Group', group.id),
        UpdateExpression: `SET version = :next, lastModified = :now${modified.clause} ADD memberCount :delta`,
        ConditionExpression: versionMatches,
        ExpressionAttributeNames: modified.names,
        ExpressionAttributeValues: { ':next': group.version + 1, ':now': now, ':delta': memberDelta, ':expectedVersion': group.version, ...modified.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: onVersionFailed('Group', group.id, undefined),
  };
}
