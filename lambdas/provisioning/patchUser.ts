import { applyPatch } from '../scim/patch';
import { wireForUpdate } from '../scim/render';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { updateUser } from './updateUser';
import { requireBody, validateUpdate } from './validateFor';

/** PATCH /Users/{id} (RFC 7644 §3.5.2): applies the PatchOp to the stored user and validates the result. */
export async function patchUser(ctx: ProvisioningContext, id: string, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  return updateUser(ctx, id, { body, expectedVersion: request.expectedVersion }, (current) =>
    validateUpdate(ctx, 'User', wireForUpdate(current), (wire) => applyPatch(wire, body, { registry: ctx.registry, resourceType: 'User' }).resource),
  );
}
