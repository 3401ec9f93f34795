import type { ResourceType } from '../keys';
import type { TxAction } from '../transactWrite';
import type { TableRef } from './tableRef';

/**
 * Adds `delta` to one shard of a type's resource counter (totalResults of unfiltered lists). The
 * caller picks the shard at random, so parallel creates rarely touch the same item (keys.ts).
 */
export function bumpCounter(t: TableRef, type: ResourceType, delta: number, shard: number): TxAction {
  return {
    item: {
      Update: {
        TableName: t.table,
        Key: t.keys.counter(type, shard),
        UpdateExpression: 'ADD #count :d',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':d': delta },
      },
    },
  };
}
