import { keyString } from '../batch';
import type { ResourceType } from '../keys';
import type { ResourceIndexes } from '../items';
import type { TxAction } from '../transactWrite';
import { deleteMarker } from './deleteMarker';
import { putMarker } from './putMarker';
import { deleteLookup, putLookup } from './putLookup';
import type { TableRef } from './tableRef';

/**
 * The marker and lookup writes that take a resource from the indexes `before` to `after`: only
 * what differs. A case-only change of userName keeps its marker (keyed by the lowercased value);
 * a lookup whose attributes are unchanged is not rewritten.
 */
export function indexChanges(t: TableRef, type: ResourceType, id: string, before: ResourceIndexes, after: ResourceIndexes): TxAction[] {
  const actions: TxAction[] = [];
  const oldMarkers = new Map(before.unique.map((u) => [keyString(u.key), u]));
  const newMarkers = new Map(after.unique.map((u) => [keyString(u.key), u]));
  for (const [k, u] of oldMarkers) if (!newMarkers.has(k)) actions.push(deleteMarker(t, u.key, id));
  for (const [k, u] of newMarkers) if (!oldMarkers.has(k)) actions.push(putMarker(t, type, id, u));
  const oldLookups = new Map(before.lookups.map((l) => [keyString(l.key), l]));
  const newLookups = new Map(after.lookups.map((l) => [keyString(l.key), l]));
  for (const [k, l] of oldLookups) if (!newLookups.has(k)) actions.push(deleteLookup(t, l));
  for (const [k, l] of newLookups) {
    if (JSON.stringify(oldLookups.get(k)?.attributes) !== JSON.stringify(l.attributes)) actions.push(putLookup(t, l));
  }
  return actions;
}
