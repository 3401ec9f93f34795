import { ScimError } from '../../scim/errors';
import { validateResource } from '../../scim/validate';
import { VALIDATION_LIMITS } from '../../scim/validate/validationLimits';
import { applyPatch, type MemberRef as PatchMemberRef } from '../../scim/patch';
import { METRIC } from '../../http/metricNames';
import { countEvent } from '../../http/observability';
import { baseUrl, queryParam } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { GroupChange, GroupDelta, Json, StoredResource } from '../../store';
import { projectionOf, requireBody, ifMatch, ifNoneMatch } from './common';
import type { HandlerDeps } from './deps';
import { etagOf, expectedVersions, notModified } from './etag';
import { listResources, searchResources } from './listRoutes';
import { membersFitInResponse } from './members';
import { renderWithExtras } from './queryResources';
import { wireForUpdate } from './renderResource';

type MemberInput = NonNullable<GroupChange['add']>[number];

/** Members as the store takes them; `type` is normalised when given ("user" → "User") and found by the store otherwise. */
function toMemberInputs(members: unknown): MemberInput[] {
  if (!Array.isArray(members)) return [];
  return members.map((m: PatchMemberRef, i) => {
    if (typeof m.display === 'string' && m.display.length > VALIDATION_LIMITS.maxMemberDisplayLength) {
      throw ScimError.badRequest('invalidValue', `members[${i}].display is longer than ${VALIDATION_LIMITS.maxMemberDisplayLength} characters`);
    }
    const type = typeof m.type === 'string' ? m.type.toLowerCase() : undefined;
    return {
      value: m.value,
      ...(type === 'user' ? { type: 'User' as const } : type === 'group' ? { type: 'Group' as const } : {}),
      ...(typeof m.display === 'string' ? { display: m.display } : {}),
    };
  });
}

/**
 * A member without a string `value` names nobody: refuse it (400 invalidValue) rather than let
 * validation drop it silently, as PATCH does (lambdas/scim/patch memberRefs).
 */
function requireMemberValues(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const members = Object.entries(body).find(([k]) => k.toLowerCase() === 'members')?.[1];
  if (!Array.isArray(members)) return;
  members.forEach((m: unknown, i) => {
    const value = m !== null && typeof m === 'object' ? Object.entries(m).find(([k]) => k.toLowerCase() === 'value')?.[1] : undefined;
    if (typeof value !== 'string' || value === '') throw ScimError.badRequest('invalidValue', `members[${i}] needs a string "value" (the member's id)`);
  });
}

/** Splits a validated group into its stored attributes and its member list (kept as separate items). */
function splitMembers(data: Json): { data: Json; members: MemberInput[] | undefined } {
  const { members, ...rest } = data;
  return { data: rest, members: members === undefined ? undefined : toMemberInputs(members) };
}

/** `/Groups/{id}`; `.search` is not an id, so GET /Groups/.search answers 405 "use POST" (RFC 7644 §3.4.3). */
const GROUP_BY_ID = /^\/Groups\/(?!\.search$)([^/]+)$/i;

/** The /Groups routes: CRUD, PUT, PATCH with member deltas, list and search. */
export function groupRoutes(deps: HandlerDeps): Route[] {
  const { store, registry, config } = deps;
  const validate = (input: unknown, mode: 'create' | 'replace', existing?: Json) =>
    validateResource(input, { registry, resourceType: 'Group', mode, existing, unknownAttributes: config.unknownAttributes });

  /**
   * Renders a group for a response. After a write (`written`), a group too large for one response
   * comes back without `members` rather than as an error: the write happened and the client must
   * learn so (it may ask for them again with a members filter).
   */
  const respond = async (event: ScimEvent, status: number, group: StoredResource, written = false): Promise<ScimResult> => {
    let projection = projectionOf(event, deps, 'Group');
    if (written && !membersFitInResponse(deps, group)) {
      projection = { ...projection, excludedAttributes: [...(projection.excludedAttributes ?? []), 'members'] };
    }
    const body = await renderWithExtras(deps, group, baseUrl(event), projection);
    const meta = body.meta as { location: string } | undefined;
    return scimResponse(status, body, { ETag: etagOf(group.version), ...(status === 201 && meta ? { Location: meta.location } : {}) });
  };

  const create = async (event: ScimEvent) => {
    const body = requireBody(event);
    requireMemberValues(body);
    const { data, members = [] } = splitMembers(validate(body, 'create'));
    const group = await store.createGroup(data, members);
    countEvent(METRIC.groupsCreated);
    countEvent(METRIC.membersAdded, members.length);
    return respond(event, 201, group, true);
  };

  const get = async (event: ScimEvent, [id]: string[]) => {
    const group = await store.getGroup(id);
    if (!group) throw ScimError.notFound(`Group ${id} not found`);
    if (notModified(ifNoneMatch(event), group.version)) return scimResponse(304, undefined, { ETag: etagOf(group.version) });
    return respond(event, 200, group);
  };

  const replace = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    requireMemberValues(body);
    const group = await store.updateGroup(
      id,
      {
        data: (current) => splitMembers(validate(body, 'replace', wireForUpdate(current))).data,
        // RFC 7644 §3.5.1: PUT replaces everything; members absent means no members.
        replaceAll: splitMembers(validate(body, 'create')).members ?? [],
      },
      { expectedVersion: expectedVersions(ifMatch(event)) },
    );
    countEvent(METRIC.groupsUpdated);
    return respond(event, 200, group, true);
  };

  const patch = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    const ctx = { registry, resourceType: 'Group' as const };
    let last: GroupDelta | undefined;
    // One read: the store calls `derive` with the group it just read (again only after a concurrent
    // write). The member delta depends only on the request, never on the stored list (docs/design.md, pattern 5).
    const change: GroupChange = {
      derive: (current) => {
        const result = applyPatch(wireForUpdate(current), body, ctx);
        const delta = result.memberDelta;
        last = {
          data: splitMembers(validate(result.resource, 'replace', wireForUpdate(current))).data,
          add: toMemberInputs(delta?.add ?? []),
          remove: delta?.remove ?? [],
          ...(delta?.replaceAll ? { replaceAll: toMemberInputs(delta.replaceAll) } : delta?.removeAll ? { replaceAll: [] } : {}),
        };
        return last;
      },
    };
    const group = await store.updateGroup(id, change, { expectedVersion: expectedVersions(ifMatch(event)) });
    countEvent(METRIC.groupsUpdated);
    countEvent(METRIC.membersAdded, last?.add?.length ?? 0);
    countEvent(METRIC.membersRemoved, last?.remove?.length ?? 0);
    // 204 by default: a group's members may be 100,000 (Entra and Okta accept 204); 200 with the
    // resource when the client asks for attributes.
    if (queryParam(event, 'attributes') === undefined && queryParam(event, 'excludedAttributes') === undefined) {
      return scimResponse(204, undefined, { ETag: etagOf(group.version) });
    }
    return respond(event, 200, group, true);
  };

  const remove = async (event: ScimEvent, [id]: string[]) => {
    await store.deleteGroup(id, { expectedVersion: expectedVersions(ifMatch(event)) });
    countEvent(METRIC.groupsDeleted);
    return scimResponse(204);
  };

  return [
    { method: 'GET', pattern: /^\/Groups$/i, handle: listResources(deps, 'Group') },
    { method: 'POST', pattern: /^\/Groups$/i, handle: create },
    { method: 'POST', pattern: /^\/Groups\/\.search$/i, handle: searchResources(deps, 'Group') },
    { method: 'GET', pattern: GROUP_BY_ID, handle: get },
    { method: 'PUT', pattern: GROUP_BY_ID, handle: replace },
    { method: 'PATCH', pattern: GROUP_BY_ID, handle: patch },
    { method: 'DELETE', pattern: GROUP_BY_ID, handle: remove },
  ];
}
