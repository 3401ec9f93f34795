import { ScimError } from '../../scim/errors';
import type { MemberRef, StoredResource } from '../../store';
import type { HandlerDeps } from './deps';
import { MAX_MEMBERS_IN_RESPONSE } from '../../contracts/limits';


/** The tenant's limit of members in one response (config `maxMembersInResponse`, at most 10,000). */
export function memberResponseLimit(deps: HandlerDeps): number {
  return Math.min(deps.config.maxMembersInResponse ?? MAX_MEMBERS_IN_RESPONSE, MAX_MEMBERS_IN_RESPONSE);
}

/** Whether a group's members fit in one response (from `memberCount` on the group item: no read). */
export function membersFitInResponse(deps: HandlerDeps, group: StoredResource): boolean {
  return (group.memberCount ?? 0) <= memberResponseLimit(deps);
}

/** Reads a group's members for a response, page by page, refusing groups too large for one. */
export async function loadMembersForResponse(deps: HandlerDeps, group: StoredResource): Promise<MemberRef[]> {
  const limit = memberResponseLimit(deps);
  // memberCount is on the group item: a group known to be too large costs no member read at all.
  if ((group.memberCount ?? 0) > limit) throw tooLarge(group, limit);
  // An empty group (POST /Groups without members, as Entra creates them) needs no Query either.
  if (group.memberCount === 0) return [];
  const members: MemberRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listMembers(group.id, { limit: Math.min(1000, limit + 1), cursor });
    members.push(...page.members);
    cursor = page.cursor;
    if (members.length > limit) throw tooLarge(group, limit);
  } while (cursor);
  return members;
}

function tooLarge(group: StoredResource, limit: number): ScimError {
  return ScimError.badRequest(
    'tooMany',
    `Group ${group.id} has more than ${limit} members, too many for one response: ` +
      'ask with excludedAttributes=members, or check one membership with filter=id eq "<groupId>" and members[value eq "<memberId>"]',
  );
}
