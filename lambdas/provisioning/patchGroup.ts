import { applyPatch } from '../scim/patch';
import { wireForUpdate } from '../scim/render';
import type { ProvisioningContext, WriteRequest } from './context';
import type { WriteResult } from './effect';
import { splitMembers, toMemberInputs } from './memberInputs';
import { updateGroup } from './updateGroup';
import { requireBody, validateUpdate } from './validateFor';

/**
 * PATCH /Groups/{id} (RFC 7644 §3.5.2): the PatchOp is applied to the group item alone; its member
 * operations become a delta (add/remove, or a whole new list for Okta's `replace members`) that
 * depends only on the request, never on the stored list (docs/design.md pattern 5).
 */
export async function patchGroup(ctx: ProvisioningContext, id: string, request: WriteRequest): Promise<WriteResult> {
  const body = requireBody(request.body);
  const patchContext = { registry: ctx.registry, resourceType: 'Group' as const };
  return updateGroup(ctx, id, request.expectedVersion, (current) => {
    let delta: ReturnType<typeof applyPatch>['memberDelta'];
    const data = validateUpdate(ctx, 'Group', wireForUpdate(current), (wire) => {
      const result = applyPatch(wire, body, patchContext);
      delta = result.memberDelta;
      return result.resource;
    });
    return {
      data: splitMembers(data).data,
      add: toMemberInputs(delta?.add ?? []),
      remove: delta?.remove ?? [],
      ...(delta?.replaceAll ? { replaceAll: toMemberInputs(delta.replaceAll) } : delta?.removeAll ? { replaceAll: [] } : {}),
    };
  });
}
