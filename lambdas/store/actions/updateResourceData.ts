import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { versionMatches } from '../conditions';
import type { StoredResource } from '../items';
import { sortedIndexAttributes } from '../sortedIndexes';
import type { TableRef } from './tableRef';
import type { MemberChange } from '../changeAttributes';
import { versionStamps } from './changeStamps';

/** An UpdateItem input whose values the caller may extend (`:delta`). */
export type ResourceUpdate = UpdateCommandInput & { ExpressionAttributeValues: Record<string, unknown> };

/**
 * Writes a resource's new data and version, on the condition that it still holds the version
 * read (`from`). An Update, not a Put: it leaves parentCount alone, which nested-group adds change
 * without a version bump. Groups also add `memberDelta` to memberCount in the same write, and
 * record `change` (the members of this version) for the change feed.
 */
export function updateResourceData(t: TableRef, from: StoredResource, to: StoredResource, memberDelta: number, change?: MemberChange): ResourceUpdate {
  const isGroup = from.resourceType === 'Group';
  const stamps = versionStamps(isGroup ? (change ?? 'none') : undefined);
  // The sorted indexes follow the new name and lastModified (and are set on items written before them).
  const indexed = Object.entries(sortedIndexAttributes(t.keys, to));
  const setIndexes = indexed.map((_, i) => `, #ix${i} = :ix${i}`).join('');
  const update: ResourceUpdate = {
    TableName: t.table,
    Key: t.keys.resource(from.resourceType, from.id),
    UpdateExpression: `SET #data = :data, version = :next, lastModified = :now${setIndexes}, ${stamps.set}${isGroup ? ' ADD memberCount :delta' : ''}${stamps.remove ? ` REMOVE ${stamps.remove}` : ''}`,
    ConditionExpression: versionMatches,
    ExpressionAttributeNames: { '#data': 'data', ...Object.fromEntries(indexed.map(([name], i) => [`#ix${i}`, name])), ...stamps.names },
    ExpressionAttributeValues: {
      ':data': to.data,
      ':next': to.version,
      ':now': to.lastModified,
      ':expectedVersion': from.version,
      ...Object.fromEntries(indexed.map(([, value], i) => [`:ix${i}`, value])),
      ...stamps.values,
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  if (isGroup) update.ExpressionAttributeValues[':delta'] = memberDelta;
  return update;
}
