import { retryOnConcurrentWrite, type GroupWriteChange, type StoredResource } from '../store';
import { changedAttributes } from '../scim/changes';
import type { ProvisioningContext } from './context';
import type { WriteResult } from './effect';

/**
 * The optimistic loop every group update runs (PUT, PATCH): read the group item (never its
 * members; If-Match checked against that read), `decide` the new attributes and member delta,
 * write them on that version; after a concurrent write it starts again from a fresh read. The
 * effect holds the members the store really added and removed.
 */
export async function updateGroup(
  ctx: ProvisioningContext,
  id: string,
  expectedVersion: readonly number[] | undefined,
  decide: (current: StoredResource) => GroupWriteChange,
): Promise<WriteResult> {
  return retryOnConcurrentWrite(async () => {
    const current = await ctx.store.readForWrite('Group', id, expectedVersion);
    const change = decide(current);
    const written = await ctx.store.writeGroup(current, change, { expectedVersion });
    return {
      resource: written.resource,
      effect: {
        resourceType: 'Group',
        id,
        change: 'updated',
        attributes: changedAttributes(current.data, change.data),
        membersAdded: written.added,
        membersRemoved: written.removed,
      },
    };
  });
}
