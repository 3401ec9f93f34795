import type { ProvisioningContext } from './context';
import { deletedEffect, type Effect } from './effect';

/** What a delete answers: no resource, only its effect. */
export interface DeleteOutcome {
  readonly effect: Effect;
}

/** DELETE /Users/{id} (RFC 7644 §3.6): removes the user, its markers and memberships; 404 afterwards. */
export async function deleteUser(ctx: ProvisioningContext, id: string, request: { expectedVersion?: readonly number[] }): Promise<DeleteOutcome> {
  await ctx.store.deleteUser(id, { expectedVersion: request.expectedVersion });
  return { effect: deletedEffect('User', id) };
}

/** DELETE /Groups/{id} (RFC 7644 §3.6): hides the group at once, its memberships are removed in batches. */
export async function deleteGroup(ctx: ProvisioningContext, id: string, request: { expectedVersion?: readonly number[] }): Promise<DeleteOutcome> {
  await ctx.store.deleteGroup(id, { expectedVersion: request.expectedVersion });
  return { effect: deletedEffect('Group', id) };
}
