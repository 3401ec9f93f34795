import { ScimError } from '../../scim/errors';
import { etagOf, expectedVersions, notModified } from '../../scim/etag';
import { createGroup, deleteGroup, patchGroup, replaceGroup, type WriteRequest } from '../../provisioning';
import { baseUrl, queryParam } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { StoredResource } from '../../store';
import { countEffect, projectionOf, requireBody, ifMatch, ifNoneMatch } from './common';
import type { HandlerDeps } from './deps';
import { listResources, searchResources } from './listRoutes';
import { membersFitInResponse } from './members';
import { renderWithExtras } from './queryResources';

/** `/Groups/{id}`; `.search` is not an id, so GET /Groups/.search answers 405 "use POST" (RFC 7644 §3.4.3). */
const GROUP_BY_ID = /^\/Groups\/(?!\.search$)([^/]+)$/i;

/** The write request an HTTP request carries: its body and If-Match. */
function writeRequest(event: ScimEvent): WriteRequest {
  return { body: requireBody(event), expectedVersion: expectedVersions(ifMatch(event)) };
}

/** The /Groups routes, adapters over the provisioning use cases: CRUD, PUT, PATCH with member deltas, list and search. */
export function groupRoutes(deps: HandlerDeps): Route[] {
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
    const { resource, effect } = await createGroup(deps, { body: requireBody(event) });
    countEffect(effect);
    return respond(event, 201, resource, true);
  };

  const get = async (event: ScimEvent, [id]: string[]) => {
    const group = await deps.store.getGroup(id);
    if (!group) throw ScimError.notFound(`Group ${id} not found`);
    if (notModified(ifNoneMatch(event), group.version)) return scimResponse(304, undefined, { ETag: etagOf(group.version) });
    return respond(event, 200, group);
  };

  const replace = async (event: ScimEvent, [id]: string[]) => {
    const { resource, effect } = await replaceGroup(deps, id, writeRequest(event));
    countEffect(effect);
    return respond(event, 200, resource, true);
  };

  const patch = async (event: ScimEvent, [id]: string[]) => {
    const { resource, effect } = await patchGroup(deps, id, writeRequest(event));
    countEffect(effect);
    // 204 by default: a group's members may be 100,000 (Entra and Okta accept 204); 200 with the
    // resource when the client asks for attributes.
    if (queryParam(event, 'attributes') === undefined && queryParam(event, 'excludedAttributes') === undefined) {
      return scimResponse(204, undefined, { ETag: etagOf(resource.version) });
    }
    return respond(event, 200, resource, true);
  };

  const remove = async (event: ScimEvent, [id]: string[]) => {
    const { effect } = await deleteGroup(deps, id, { expectedVersion: expectedVersions(ifMatch(event)) });
    countEffect(effect);
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
