import { changedAttributes } from '../scim/changes';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { requireMemberValues, splitMembers } from './memberInputs';
import { requireBody, validateFor } from './validateFor';

/** POST /Groups (RFC 7644 §3.3): creates the group with its members, which must exist (400 otherwise, nothing written). */
export async function createGroup(ctx: ProvisioningContext, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  requireMemberValues(body);
  const { data, members = [] } = splitMembers(validateFor(ctx, 'Group', body, 'create'));
  const written = await ctx.store.insertGroup(data, members, { id: request.newId });
  return {
    resource: written.resource,
    effect: { resourceType: 'Group', id: written.resource.id, change: 'created', attributes: changedAttributes({}, data), membersAdded: written.added, membersRemoved: [] },
  };
}
