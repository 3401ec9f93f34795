import { ScimError } from '../../scim/errors';
import { validateResource } from '../../scim/validate';
import { applyPatch, type MemberRef as PatchMemberRef } from '../../scim/patch';
import { METRIC } from '../../http/metricNames';
import { countEvent } from '../../http/observability';
import { baseUrl, queryParam } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { GroupChange, Json, StoredResource } from '../../store';
import { projectionOf, requireBody, ifMatch, ifNoneMatch } from './common';
import type { HandlerDeps } from './deps';
import { etagOf, expectedVersion, notModified } from './etag';
import { listResources, searchResources } from './listRoutes';
import { renderWithExtras } from './queryResources';
import { wireForUpdate } from './renderResource';

type MemberInput = NonNullable<GroupChange['add']>[number];

/** Members as the store takes them; `type` is normalised when given ("user" → "User") and found by the store otherwise. */
function toMemberInputs(members: unknown): MemberInput[] {
  if (!Array.isArray(members)) return [];
  return members.map((m: PatchMemberRef) => {
    const type = typeof m.type === 'string' ? m.type.toLowerCase() : undefined;
    return {
      value: m.value,
      ...(type === 'user' ? { type: 'User' as const } : type === 'group' ? { type: 'Group' as const } : {}),
      ...(typeof m.display === 'string' ? { display: m.display } : {}),
    };
  });
}

/** Splits a validated group into its stored attributes and its member list (kept as separate items). */
function splitMembers(data: Json): { data: Json; members: MemberInput[] | undefined } {
  const { members, ...rest } = data;
  return { data: rest, members: members === undefined ? undefined : toMemberInputs(members) };
}

/** The /Groups routes: CRUD, PUT, PATCH with member deltas, list and search. */
export function groupRoutes(deps: HandlerDeps): Route[] {
  const { store, registry, config } = deps;
  const validate = (input: unknown, mode: 'create' | 'replace', existing?: Json) =>
    validateResource(input, { registry, resourceType: 'Group', mode, existing, unknownAttributes: config.unknownAttributes });

  const respond = async (event: ScimEvent, status: number, group: StoredResource): Promise<ScimResult> => {
    const body = await renderWithExtras(deps, group, baseUrl(event), projectionOf(event, deps, 'Group'));
    const meta = body.meta as { location: string } | undefined;
    return scimResponse(status, body, { ETag: etagOf(group.version), ...(status === 201 && meta ? { Location: meta.location } : {}) });
  };

  const create = async (event: ScimEvent) => {
    const { data, members = [] } = splitMembers(validate(requireBody(event), 'create'));
    const group = await store.createGroup(data, members);
    countEvent(METRIC.groupsCreated);
    countEvent(METRIC.membersAdded, members.length);
    return respond(event, 201, group);
  };

  const get = async (event: ScimEvent, [id]: string[]) => {
    const group = await store.getGroup(id);
    if (!group) throw ScimError.notFound(`Group ${id} not found`);
    if (notModified(ifNoneMatch(event), group.version)) return scimResponse(304, undefined, { ETag: etagOf(group.version) });
    return respond(event, 200, group);
  };

  const replace = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    const group = await store.updateGroup(
      id,
      {
        data: (current) => splitMembers(validate(body, 'replace', wireForUpdate(current))).data,
        // RFC 7644 §3.5.1: PUT replaces everything; members absent means no members.
        replaceAll: splitMembers(validate(body, 'create')).members ?? [],
      },
      { expectedVersion: expectedVersion(ifMatch(event)) },
    );
    countEvent(METRIC.groupsUpdated);
    return respond(event, 200, group);
  };

  const patch = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    const ctx = { registry, resourceType: 'Group' as const };
    const first = await store.getGroup(id);
    if (!first) throw ScimError.notFound(`Group ${id} not found`);
    // The member delta depends only on the request, never on the stored list (DESIGN.md pattern 5).
    const firstResult = applyPatch(wireForUpdate(first), body, ctx);
    const delta = firstResult.memberDelta;
    const dataFor = (current: StoredResource) => {
      const result = current.version === first.version ? firstResult : applyPatch(wireForUpdate(current), body, ctx);
      return splitMembers(validate(result.resource, 'replace', wireForUpdate(current))).data;
    };
    const change: GroupChange = {
      data: dataFor,
      add: toMemberInputs(delta?.add ?? []),
      remove: delta?.remove ?? [],
      ...(delta?.replaceAll ? { replaceAll: toMemberInputs(delta.replaceAll) } : delta?.removeAll ? { replaceAll: [] } : {}),
    };
    const group = await store.updateGroup(id, change, { expectedVersion: expectedVersion(ifMatch(event), first.version) });
    countEvent(METRIC.groupsUpdated);
    countEvent(METRIC.membersAdded, change.add?.length ?? 0);
    countEvent(METRIC.membersRemoved, change.remove?.length ?? 0);
    // 204 by default: a group's members may be 100,000 (Entra and Okta accept 204); 200 with the
    // resource when the client asks for attributes.
    if (queryParam(event, 'attributes') === undefined && queryParam(event, 'excludedAttributes') === undefined) {
      return scimResponse(204, undefined, { ETag: etagOf(group.version) });
    }
    return respond(event, 200, group);
  };

  const remove = async (event: ScimEvent, [id]: string[]) => {
    await store.deleteGroup(id, { expectedVersion: expectedVersion(ifMatch(event)) });
    countEvent(METRIC.groupsDeleted);
    return scimResponse(204);
  };

  return [
    { method: 'GET', pattern: /^\/Groups$/i, handle: listResources(deps, 'Group') },
    { method: 'POST', pattern: /^\/Groups$/i, handle: create },
    { method: 'POST', pattern: /^\/Groups\/\.search$/i, handle: searchResources(deps, 'Group') },
    { method: 'GET', pattern: /^\/Groups\/([^/]+)$/i, handle: get },
    { method: 'PUT', pattern: /^\/Groups\/([^/]+)$/i, handle: replace },
    { method: 'PATCH', pattern: /^\/Groups\/([^/]+)$/i, handle: patch },
    { method: 'DELETE', pattern: /^\/Groups\/([^/]+)$/i, handle: remove },
  ];
}
