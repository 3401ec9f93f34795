import { CycleError } from './errors';
import { ancestorsOf } from './memberships';
import { RETRY, type TxAction } from './transactWrite';
import type { TableContext } from './tableContext';

/**
 * Makes the nested-group cycle check serializable. A check alone reads the graph, then writes: two
 * PATCHes adding A to B and B to A each see no cycle and both commit. So every transaction that
 * adds a group to a group also conditions on the tenant's graph version (one item) as read BEFORE
 * its walk, and bumps it: of two nesting changes racing, the second's transaction fails, and its
 * retry walks the graph again, now including the first's edge. The walk itself reads group items
 * strongly consistently (their `parents` sets), never only the eventually consistent reverse index.
 * Removals need no guard: removing edges cannot make a cycle. Nesting changes of one tenant are
 * serialized on the one item; they are rare (Entra and Okta do not push nested groups).
 *
 * Throws CycleError when adding `nestedIds` to `groupId` would close a cycle; else returns the
 * action to put in the same transaction as the memberships.
 */
export async function guardNesting(ctx: TableContext, groupId: string, nestedIds: readonly string[]): Promise<TxAction> {
  const key = ctx.keys.graphVersion();
  const item = await ctx.getItem(key);
  const version = typeof item?.version === 'number' ? item.version : undefined;
  const ancestors = await ancestorsOf(ctx, groupId);
  const cyclic = nestedIds.filter((g) => g === groupId || ancestors.has(g));
  if (cyclic.length > 0) throw new CycleError(groupId, cyclic);
  return {
    item: {
      Update: {
        TableName: ctx.table,
        Key: key,
        UpdateExpression: 'SET version = :next',
        ConditionExpression: version === undefined ? 'attribute_not_exists(PK)' : 'version = :read',
        ExpressionAttributeValues: version === undefined ? { ':next': 1 } : { ':next': version + 1, ':read': version },
      },
    },
    // Another nesting change committed since our walk: re-read and check again.
    onConditionFailed: () => RETRY,
  };
}
