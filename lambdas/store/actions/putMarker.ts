import { ConflictError } from '../errors';
import { itemDoesNotExist } from '../conditions';
import { RETRY, type TxAction } from '../transactWrite';
import type { ResourceType } from '../keys';
import type { ResourceIndexes } from '../items';
import type { TableRef } from './tableRef';

/**
 * Claims a uniqueness marker for resource `id`. The marker must not exist; if it does and is ours
 * (a retry of our own write) the caller re-reads, otherwise the name is taken: ConflictError
 * naming the holder (409 uniqueness, RFC 7644 §3.3).
 */
export function putMarker(t: TableRef, type: ResourceType, id: string, marker: ResourceIndexes['unique'][number]): TxAction {
  return {
    item: {
      Put: {
        TableName: t.table,
        Item: { ...marker.key, id, resourceType: type, attribute: marker.attribute },
        ConditionExpression: itemDoesNotExist,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (old) => (old?.id === id ? RETRY : new ConflictError(marker.attribute, marker.value, { existingId: old?.id as string | undefined })),
  };
}
