import { activationChange, changedAttributes } from '../scim/changes';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { hashPasswordsOf, protectPassword } from './password';
import { requireBody, validateFor } from './validateFor';

/** POST /Users (RFC 7644 §3.3): validates, hashes the password, creates; 409 uniqueness when the userName is taken. */
export async function createUser(ctx: ProvisioningContext, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  const data = protectPassword(validateFor(ctx, 'User', body, 'create'), await hashPasswordsOf(body));
  const resource = await ctx.store.createUser(data, { id: request.newId });
  const activation = activationChange(undefined, data);
  return {
    resource,
    effect: { resourceType: 'User', id: resource.id, change: 'created', attributes: changedAttributes({}, data), ...(activation ? { activation } : {}), membersAdded: [], membersRemoved: [] },
  };
}
