import { ScimError } from '../../scim/errors';
import { validateResource } from '../../scim/validate';
import { applyPatch } from '../../scim/patch';
import { METRIC } from '../../http/metricNames';
import { countEvent } from '../../http/observability';
import { baseUrl } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { Json, StoredResource } from '../../store';
import { projectionOf, requireBody, ifMatch, ifNoneMatch } from './common';
import type { HandlerDeps } from './deps';
import { etagOf, expectedVersions, notModified } from './etag';
import { listResources, searchResources } from './listRoutes';
import { hashPasswordSync, hashPasswordsOf, isPasswordHash } from './passwordHash';
import { renderWithExtras } from './queryResources';
import { wireForUpdate } from './renderResource';

/** The SCIM answer for one user: projected body, ETag and Location (RFC 7644 §3.14, §3.3). */
async function respond(deps: HandlerDeps, event: ScimEvent, status: number, user: StoredResource): Promise<ScimResult> {
  const base = baseUrl(event);
  const body = await renderWithExtras(deps, user, base, projectionOf(event, deps, 'User'));
  const meta = body.meta as { location: string; version: string } | undefined;
  return scimResponse(status, body, {
    ETag: etagOf(user.version),
    ...(status === 201 && meta ? { Location: meta.location } : {}),
  });
}

/**
 * Replaces a cleartext password by its hash, computed beforehand off the event loop
 * (hashPasswordsOf); an untouched hash (carried through PUT/PATCH) stays as it is.
 */
function protectPassword(data: Json, hashes: ReadonlyMap<string, string>, current?: Json): Json {
  if (data.password === undefined) return data;
  if (current && data.password === current.password && isPasswordHash(data.password)) return data;
  const cleartext = String(data.password);
  return { ...data, password: hashes.get(cleartext) ?? hashPasswordSync(cleartext) };
}

/** Counts deactivations and reactivations (Entra's soft delete, Okta's deactivate) for ops. */
function countActiveChange(before: Json, after: Json): void {
  const was = before.active !== false;
  const is = after.active !== false;
  if (was && !is) countEvent(METRIC.usersDeactivated);
  else if (!was && is) countEvent(METRIC.usersReactivated);
}

/** `/Users/{id}`; `.search` is not an id, so GET /Users/.search answers 405 "use POST" (RFC 7644 §3.4.3). */
const USER_BY_ID = /^\/Users\/(?!\.search$)([^/]+)$/i;

/** The /Users routes: CRUD, PUT, PATCH, list and search. */
export function userRoutes(deps: HandlerDeps): Route[] {
  const { store, registry, config } = deps;
  const validate = (input: unknown, mode: 'create' | 'replace', existing?: Json) =>
    validateResource(input, { registry, resourceType: 'User', mode, existing, unknownAttributes: config.unknownAttributes });

  const create = async (event: ScimEvent) => {
    const body = requireBody(event);
    const data = protectPassword(validate(body, 'create'), await hashPasswordsOf(body));
    const user = await store.createUser(data);
    countEvent(METRIC.usersCreated);
    if (user.data.active === false) countEvent(METRIC.usersDeactivated);
    return respond(deps, event, 201, user);
  };

  const get = async (event: ScimEvent, [id]: string[]) => {
    const user = await store.getUser(id);
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    if (notModified(ifNoneMatch(event), user.version)) return scimResponse(304, undefined, { ETag: etagOf(user.version) });
    return respond(deps, event, 200, user);
  };

  /**
   * PUT and PATCH: `produce` turns the current user into its new stored attributes inside the
   * store's optimistic loop (re-run on a concurrent write, so no update is lost); answers 200 with
   * the resource (RFC 7644 §3.5.2: Okta reads it; Entra accepts 200 or 204).
   */
  const update = async (event: ScimEvent, id: string, produce: (current: StoredResource) => Json) => {
    // The store's update callback is synchronous (and may run again on a conflict): hash first.
    const hashes = await hashPasswordsOf(requireBody(event));
    let before: Json = {};
    const user = await store.updateUser(
      id,
      (current) => {
        before = current.data;
        return protectPassword(produce(current), hashes, current.data);
      },
      { expectedVersion: expectedVersions(ifMatch(event)) },
    );
    countEvent(METRIC.usersUpdated);
    countActiveChange(before, user.data);
    return respond(deps, event, 200, user);
  };

  const replace = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    return update(event, id, (current) => {
      const data = validate(body, 'replace', wireForUpdate(current));
      // Okta's PUT omits the write-only password: keep the stored hash rather than clearing it.
      if (data.password === undefined && current.data.password !== undefined) data.password = current.data.password;
      return data;
    });
  };

  const patch = async (event: ScimEvent, [id]: string[]) => {
    const body = requireBody(event);
    return update(event, id, (current) => {
      const wire = wireForUpdate(current);
      return validate(applyPatch(wire, body, { registry, resourceType: 'User' }).resource, 'replace', wire);
    });
  };

  const remove = async (event: ScimEvent, [id]: string[]) => {
    await store.deleteUser(id, { expectedVersion: expectedVersions(ifMatch(event)) });
    countEvent(METRIC.usersDeleted);
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
