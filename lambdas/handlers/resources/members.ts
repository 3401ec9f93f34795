import { ScimError } from '../../scim/errors';
import type { MemberRef, StoredResource } from '../../store';
import type { HandlerDeps } from './deps';

/**
 * Most members one response carries: ~10,000 rendered members are ~2 MB, well inside Lambda's
 * 6 MB response limit even with long display names. Larger groups answer a SCIM error that says how
 * to ask instead, never a 502 (DESIGN.md group size).
 */
export const MAX_MEMBERS_IN_RESPONSE = 10_000;

/** Reads a group's members for a response, page by page, refusing groups too large for one. */
export async function loadMembersForResponse(deps: HandlerDeps, group: StoredResource): Promise<MemberRef[]> {
  if ((group.memberCount ?? 0) > MAX_MEMBERS_IN_RESPONSE) throw tooLarge(group);
  const members: MemberRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listMembers(group.id, { limit: 1000, cursor });
    members.push(...page.members);
    cursor = page.cursor;
    if (members.length > MAX_MEMBERS_IN_RESPONSE) throw tooLarge(group);
  } while (cursor);
  return members;
}

function tooLarge(group: StoredResource): ScimError {
  return ScimError.badRequest(
    'tooMany',
    `Group ${group.id} has more than ${MAX_MEMBERS_IN_RESPONSE} members, too many for one response: ` +
      'ask with excludedAttributes=members, or check one membership with filter=id eq "<groupId>" and members[value eq "<memberId>"]',
  );
}
