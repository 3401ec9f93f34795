import { retryOnConcurrentWrite, type StoredResource } from '../store';
import { activationChange, changedAttributes } from '../scim/changes';
import type { ProvisioningContext } from './context';
import type { WriteResult } from './effect';
import { hashPasswordsOf, protectPassword } from './password';

type Json = Record<string, unknown>;

/**
 * The optimistic loop every user update runs (PUT, PATCH): read the user (If-Match checked
 * against that read), `produce` its new stored attributes, write them on that version; after a
 * concurrent write it starts again from a fresh read, so no update is lost. The effect compares
 * the data read with the data written, and a flip of `active` is recorded in the audit trail.
 * Passwords the body carries are hashed once, before the loop, off the event loop.
 */
export async function updateUser(
  ctx: ProvisioningContext,
  id: string,
  request: { body: unknown; expectedVersion?: readonly number[] },
  produce: (current: StoredResource) => Json,
): Promise<WriteResult> {
  const { expectedVersion } = request;
  const hashes = await hashPasswordsOf(request.body);
  return retryOnConcurrentWrite(async () => {
    const current = await ctx.store.readForWrite('User', id, expectedVersion);
    const data = protectPassword(produce(current), hashes, current.data);
    const activation = activationChange(current.data, data);
    const audit = activation === 'deactivated' ? 'deactivate' : activation === 'reactivated' ? 'reactivate' : undefined;
    const resource = await ctx.store.writeUser(current, data, { expectedVersion, audit });
    return {
      resource,
      effect: {
        resourceType: 'User',
        id,
        change: 'updated',
        attributes: changedAttributes(current.data, data),
        ...(activation ? { activation } : {}),
        membersAdded: [],
        membersRemoved: [],
      },
    };
  });
}
