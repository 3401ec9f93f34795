import { wireForUpdate } from '../scim/render';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { updateUser } from './updateUser';
import { requireBody, validateUpdate } from './validateFor';

/** PUT /Users/{id} (RFC 7644 §3.5.1): replaces the user's attributes, immutable ones checked against the stored user. */
export async function replaceUser(ctx: ProvisioningContext, id: string, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  return updateUser(ctx, id, { body, expectedVersion: request.expectedVersion }, (current) => {
    // RFC 7644 §3.5.1 lets a provider keep readWrite values a PUT omits ("MAY be assumed to be not
    // asserted by the client"). A client cannot assert data of an extension the tenant no longer
    // advertises in /Schemas, so that data survives the PUT as it survives a PATCH.
    const data = validateUpdate(ctx, 'User', wireForUpdate(current), () => body);
    // Okta's PUT omits the write-only password: keep the stored hash rather than clearing it.
    if (data.password === undefined && current.data.password !== undefined) data.password = current.data.password;
    return data;
  });
}
