import { itemDoesNotExist } from '../conditions';
import { toResourceItem, type StoredResource } from '../items';
import type { TxAction } from '../transactWrite';
import type { TableRef } from './tableRef';

/** Creates a resource item; it must not exist (ids are fresh UUIDs, so this only guards a retry). */
export function putResource(t: TableRef, resource: StoredResource): TxAction {
  return { item: { Put: { TableName: t.table, Item: toResourceItem(resource, {}, t.keys), ConditionExpression: itemDoesNotExist } } };
}
