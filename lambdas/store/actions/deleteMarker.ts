import { markerAbsentOrOwnedBy } from '../conditions';
import { RETRY, type TxAction } from '../transactWrite';
import type { Key } from '../keys';
import type { TableRef } from './tableRef';

/**
 * Releases a uniqueness marker only while it is `ownerId`'s (a missing one is fine), so a swap
 * never frees another resource's name; anything else means a concurrent write: re-read.
 */
export function deleteMarker(t: TableRef, key: Key, ownerId: string): TxAction {
  return {
    item: {
      Delete: {
        TableName: t.table,
        Key: key,
        ConditionExpression: markerAbsentOrOwnedBy,
        ExpressionAttributeValues: { ':ownerId': ownerId },
      },
    },
    onConditionFailed: () => RETRY,
  };
}
