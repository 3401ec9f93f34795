import { InvalidMemberError } from '../errors';
import { itemDoesNotExist, itemExists, resourceIsLive } from '../conditions';
import { REVERSE_MEMBERSHIP_INDEX } from '../../contracts/tableDefinition';
import { modifiedIndexSet } from '../sortedIndexes';
import { RETRY, type TxAction } from '../transactWrite';
import type { MemberOp } from './memberOps';
import type { TableRef } from './tableRef';
import { versionStamps } from './changeStamps';

/**
 * The transaction actions of one member op: the membership item (conditional, so a concurrent
 * identical change makes the caller re-check instead of miscounting), plus the parentCount of a
 * nested group (lets groupsOfUser skip the walk when no group is nested) and its `parents` set.
 */
export function memberActions(t: TableRef, groupId: string, op: MemberOp): TxAction[] {
  const key = t.keys.membership(groupId, op.member.value);
  const actions: TxAction[] = [];
  if (op.kind === 'add') {
    const item: Record<string, unknown> = {
      ...key,
      groupId,
      memberId: op.member.value,
      memberType: op.member.type,
      [REVERSE_MEMBERSHIP_INDEX.partitionKey]: t.keys.reverseMembershipPartition(op.member.value),
      [REVERSE_MEMBERSHIP_INDEX.sortKey]: t.keys.reverseMembershipSortKey(groupId),
    };
    if (op.member.display !== undefined) item.display = op.member.display;
    actions.push({ item: { Put: { TableName: t.table, Item: item, ConditionExpression: itemDoesNotExist } }, onConditionFailed: () => RETRY });
  } else {
    actions.push({ item: { Delete: { TableName: t.table, Key: key, ConditionExpression: itemExists } }, onConditionFailed: () => RETRY });
  }
  if (op.member.type === 'Group') {
    actions.push({
      item: {
        Update: {
          TableName: t.table,
          Key: t.keys.resource('Group', op.member.value),
          // `parents`: the groups holding this one, on its own item, so the cycle check walks up
          // the nesting with strongly consistent reads (the reverse index is a GSI: it lags).
          UpdateExpression: op.kind === 'add' ? 'ADD parentCount :d, parents :p' : 'ADD parentCount :d DELETE parents :p',
          // Adding: the nested group must be live at commit, not merely when resolveMembers read it,
          // so a group deleted (or being deleted) meanwhile never gains a parent it would keep.
          ConditionExpression: op.kind === 'add' ? resourceIsLive : itemExists,
          ExpressionAttributeValues: { ':d': op.kind === 'add' ? 1 : -1, ':p': new Set([groupId]) },
        },
      },
      onConditionFailed: () => (op.kind === 'add' ? new InvalidMemberError([op.member.value]) : RETRY),
    });
  }
  return actions;
}

/**
 * Removes `memberId` from group `groupId` outside a PATCH (a deleted member's cleanup): the
 * membership must exist and the group be live; the group's count and version follow.
 */
export function removeDeletedMember(t: TableRef, groupId: string, memberId: string, now: string, memberType: 'User' | 'Group' = 'User'): TxAction[] {
  const modified = modifiedIndexSet(t.keys, 'Group');
  // The group's new version lists the departed member, so the change feed says group.members_removed.
  const stamps = versionStamps({ add: [], remove: [{ value: memberId, type: memberType }] });
  return [
    { item: { Delete: { TableName: t.table, Key: t.keys.membership(groupId, memberId), ConditionExpression: itemExists } } },
    {
      item: {
        Update: {
          TableName: t.table,
          Key: t.keys.resource('Group', groupId),
          UpdateExpression: `SET lastModified = :now${modified.clause}, ${stamps.set} ADD memberCount :minus, version :one`,
          ConditionExpression: resourceIsLive,
          ExpressionAttributeNames: { ...modified.names, ...stamps.names },
          ExpressionAttributeValues: { ':now': now, ':minus': -1, ':one': 1, ...modified.values, ...stamps.values },
        },
      },
    },
  ];
}
