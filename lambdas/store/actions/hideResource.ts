import { versionMatches } from '../conditions';
import { LISTING_INDEX } from '../../contracts/tableDefinition';
import type { StoredResource } from '../items';
import type { TxAction } from '../transactWrite';
import type { ExpectedVersion } from '../types';
import { onVersionFailed } from './onVersionFailed';
import type { TableRef } from './tableRef';

/**
 * The first step of a delete: marks the resource `deleting` (invisible to every read from then
 * on) and drops it from the listing index, on the version read; the items it leaves are removed
 * afterwards (deletion.ts).
 */
export function hideResource(t: TableRef, current: StoredResource, at: string, expectedVersion: ExpectedVersion | undefined): TxAction {
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.resource(current.resourceType, current.id),
        UpdateExpression: `SET deleting = :now REMOVE ${LISTING_INDEX.partitionKey}, ${LISTING_INDEX.sortKey}`,
        ConditionExpression: versionMatches,
        ExpressionAttributeValues: { ':now': at, ':expectedVersion': current.version },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: onVersionFailed(current.resourceType, current.id, expectedVersion),
  };
}
