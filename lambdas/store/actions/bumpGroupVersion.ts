import { versionMatches } from '../conditions';
import type { StoredResource } from '../items';
import { modifiedIndexSet } from '../sortedIndexes';
import type { TxAction } from '../transactWrite';
import { onVersionFailed } from './onVersionFailed';
import type { TableRef } from './tableRef';
import type { MemberChange } from '../changeAttributes';
import { versionStamps } from './changeStamps';

/**
 * The group-item write of a member chunk past the first transaction: a version bump and the
 * memberCount change, on the version read, so every chunk is ordered against concurrent writers;
 * `change` (the chunk's members) is what the change feed publishes for this version.
 */
export function bumpGroupVersion(t: TableRef, group: StoredResource, memberDelta: number, now: string, change: MemberChange): TxAction {
  const modified = modifiedIndexSet(t.keys, 'Group');
  const stamps = versionStamps(change);
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.resource('Group', group.id),
        UpdateExpression: `SET version = :next, lastModified = :now${modified.clause}, ${stamps.set} ADD memberCount :delta${stamps.remove ? ` REMOVE ${stamps.remove}` : ''}`,
        ConditionExpression: versionMatches,
        ExpressionAttributeNames: { ...modified.names, ...stamps.names },
        ExpressionAttributeValues: { ':next': group.version + 1, ':now': now, ':delta': memberDelta, ':expectedVersion': group.version, ...modified.values, ...stamps.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: onVersionFailed('Group', group.id, undefined),
  };
}
