import { wireForUpdate } from '../scim/render';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { requireMemberValues, splitMembers } from './memberInputs';
import { updateGroup } from './updateGroup';
import { requireBody, validateFor, validateUpdate } from './validateFor';

/** PUT /Groups/{id} (RFC 7644 §3.5.1): replaces attributes and the whole member list; only the difference is written. */
export async function replaceGroup(ctx: ProvisioningContext, id: string, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  requireMemberValues(body);
  // RFC 7644 §3.5.1: PUT replaces everything; members absent means no members.
  const replaceAll = splitMembers(validateFor(ctx, 'Group', body, 'create')).members ?? [];
  return updateGroup(ctx, id, request.expectedVersion, (current) => ({
    // Undeclared extension data survives, as in replaceUser (RFC 7644 §3.5.1).
    data: splitMembers(validateUpdate(ctx, 'Group', wireForUpdate(current), () => body)).data,
    replaceAll,
  }));
}
