import { wireForUpdate } from '../scim/render';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { updateUser } from './updateUser';
import { requireBody, validateFor } from './validateFor';

/** PUT /Users/{id} (RFC 7644 §3.5.1): replaces the user's attributes, immutable ones checked against the stored user. */
export async function replaceUser(ctx: ProvisioningContext, id: string, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  return updateUser(ctx, id, { body, expectedVersion: request.expectedVersion }, (current) => {
    const data = validateFor(ctx, 'User', body, 'replace', wireForUpdate(current));
    // Okta's PUT omits the write-only password: keep the stored hash rather than clearing it.
    if (data.password === undefined && current.data.password !== undefined) data.password = current.data.password;
    return data;
  });
}
