import type { TxAction } from '../transactWrite';
import type { ResourceIndexes } from '../items';
import type { TableRef } from './tableRef';

/** Writes a lookup item (externalId, email): not unique, so unconditional. */
export function putLookup(t: TableRef, lookup: ResourceIndexes['lookups'][number]): TxAction {
  return { item: { Put: { TableName: t.table, Item: { ...lookup.key, ...lookup.attributes } } } };
}

/** Deletes a lookup item (idempotent). */
export function deleteLookup(t: TableRef, lookup: ResourceIndexes['lookups'][number]): TxAction {
  return { item: { Delete: { TableName: t.table, Key: lookup.key } } };
}
