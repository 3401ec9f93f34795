import { ScimError } from '../../scim/errors';
import { etagOf, expectedVersions, notModified } from '../../scim/etag';
import { createUser, deleteUser, patchUser, replaceUser, type WriteRequest } from '../../provisioning';
import { baseUrl } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { StoredResource } from '../../store';
import { countEffect, projectionOf, requireBody, ifMatch, ifNoneMatch } from './common';
import type { HandlerDeps } from './deps';
import { listResources, searchResources } from './listRoutes';
import { renderWithExtras } from './queryResources';

/** The SCIM answer for one user: projected body, ETag and Location (RFC 7644 §3.14, §3.3). */
async function respond(deps: HandlerDeps, event: ScimEvent, status: number, user: StoredResource): Promise<ScimResult> {
  const body = await renderWithExtras(deps, user, baseUrl(event), projectionOf(event, deps, 'User'));
  const meta = body.meta as { location: string; version: string } | undefined;
  return scimResponse(status, body, {
    ETag: etagOf(user.version),
    ...(status === 201 && meta ? { Location: meta.location } : {}),
  });
}

/** The write request an HTTP request carries: its body and If-Match. */
function writeRequest(event: ScimEvent): WriteRequest {
  return { body: requireBody(event), expectedVersion: expectedVersions(ifMatch(event)) };
}

/** `/Users/{id}`; `.search` is not an id, so GET /Users/.search answers 405 "use POST" (RFC 7644 §3.4.3). */
const USER_BY_ID = /^\/Users\/(?!\.search$)([^/]+)$/i;

/**
 * The /Users routes, adapters over the provisioning use cases: CRUD, PUT, PATCH, list and search.
 * PUT and PATCH answer 200 with the resource (RFC 7644 §3.5.2: Okta reads it; Entra accepts 200 or 204).
 */
export function userRoutes(deps: HandlerDeps): Route[] {
  const create = async (event: ScimEvent) => {
    const { resource, effect } = await createUser(deps, { body: requireBody(event) });
    countEffect(effect);
    return respond(deps, event, 201, resource);
  };

  const get = async (event: ScimEvent, [id]: string[]) => {
    const user = await deps.store.getUser(id);
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    if (notModified(ifNoneMatch(event), user.version)) return scimResponse(304, undefined, { ETag: etagOf(user.version) });
    return respond(deps, event, 200, user);
  };

  const replace = async (event: ScimEvent, [id]: string[]) => {
    const { resource, effect } = await replaceUser(deps, id, writeRequest(event));
    countEffect(effect);
    return respond(deps, event, 200, resource);
  };

  const patch = async (event: ScimEvent, [id]: string[]) => {
    const { resource, effect } = await patchUser(deps, id, writeRequest(event));
    countEffect(effect);
    return respond(deps, event, 200, resource);
  };

  const remove = async (event: ScimEvent, [id]: string[]) => {
    const { effect } = await deleteUser(deps, id, { expectedVersion: expectedVersions(ifMatch(event)) });
    countEffect(effect);
    return scimResponse(204);
  };

  return [
    { method: 'GET', pattern: /^\/Users$/i, handle: listResources(deps, 'User') },
    { method: 'POST', pattern: /^\/Users$/i, handle: create },
    { method: 'POST', pattern: /^\/Users\/\.search$/i, handle: searchResources(deps, 'User') },
    { method: 'GET', pattern: USER_BY_ID, handle: get },
    { method: 'PUT', pattern: USER_BY_ID, handle: replace },
    { method: 'PATCH', pattern: USER_BY_ID, handle: patch },
    { method: 'DELETE', pattern: USER_BY_ID, handle: remove },
  ];
}
