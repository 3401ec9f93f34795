import { versionMatches } from '../conditions';
import { LISTING_INDEX, MODIFIED_INDEX, NAME_INDEX, USER_DISPLAY_NAME_INDEX } from '../../contracts/tableDefinition';
import type { StoredResource } from '../items';
import type { TxAction } from '../transactWrite';
import type { ExpectedVersion } from '../types';
import { onVersionFailed } from './onVersionFailed';
import type { TableRef } from './tableRef';
import { versionStamps } from './changeStamps';

/**
 * The first step of a delete: marks the resource `deleting` (invisible to every read from then
 * on) and drops it from the listing index, on the version read; the items it leaves are removed
 * afterwards (deletion.ts). Stamped with the writer: the change feed reads this commit as the delete.
 */
export function hideResource(t: TableRef, current: StoredResource, at: string, expectedVersion: ExpectedVersion | undefined): TxAction {
  const stamps = versionStamps(undefined);
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.resource(current.resourceType, current.id),
        UpdateExpression: `SET deleting = :now, ${stamps.set} REMOVE ${LISTING_INDEX.partitionKey}, ${LISTING_INDEX.sortKey}`,
        ConditionExpression: versionMatches,
        ExpressionAttributeNames: stamps.names,
        ExpressionAttributeValues: { ':now': at, ':expectedVersion': current.version, ...stamps.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: onVersionFailed(current.resourceType, current.id, expectedVersion),
  };
}

/**
 * The resource item of a user deleted in one transaction (deletion.ts), turned into a tombstone
 * instead of deleted: a DeleteItem cannot carry attributes, and the stream's REMOVE record would
 * then name the previous writer, not the deleter. The tombstone is `deleting` (404 to every read),
 * stamped with the deleter for the change feed's `user.deleted` actor, and holds no personal data
 * (`data` and every index key removed, so no query reaches it). The recheck pass deletes it.
 */
export function tombstoneResource(t: TableRef, current: StoredResource, at: string, expectedVersion: ExpectedVersion | undefined): TxAction {
  const stamps = versionStamps(undefined);
  const indexKeys = [LISTING_INDEX, NAME_INDEX, MODIFIED_INDEX, USER_DISPLAY_NAME_INDEX].flatMap((i) => [i.partitionKey, i.sortKey]);
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.resource(current.resourceType, current.id),
        UpdateExpression: `SET deleting = :now, ${stamps.set} REMOVE #data, ${indexKeys.join(', ')}`,
        ConditionExpression: versionMatches,
        ExpressionAttributeNames: { '#data': 'data', ...stamps.names },
        ExpressionAttributeValues: { ':now': at, ':expectedVersion': current.version, ...stamps.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: onVersionFailed(current.resourceType, current.id, expectedVersion),
  };
}
