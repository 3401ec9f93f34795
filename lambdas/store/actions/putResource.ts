import { itemDoesNotExist } from '../conditions';
import { toResourceItem, type StoredResource } from '../items';
import type { TxAction } from '../transactWrite';
import type { TableRef } from './tableRef';
import { creationStamps } from './changeStamps';
import type { MemberOp } from './memberOps';

/**
 * Creates a resource item; it must not exist (ids are fresh UUIDs, so this only guards a retry).
 * Stamped for the change feed with the writer and the member ops of the same transaction.
 */
export function putResource(t: TableRef, resource: StoredResource, ops: readonly MemberOp[] = []): TxAction {
  return { item: { Put: { TableName: t.table, Item: { ...toResourceItem(resource, {}, t.keys), ...creationStamps(ops) }, ConditionExpression: itemDoesNotExist } } };
}
