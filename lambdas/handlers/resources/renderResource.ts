import type { StoredResource, MemberRef, UserGroup } from '../../store';
import { etagOf } from './etag';

/** Endpoint of each resource type, for `meta.location` and `$ref`. */
export const ENDPOINT = { User: 'Users', Group: 'Groups' } as const;

/** Extra computed attributes: a Group's `members`, a User's `groups`. */
export interface RenderExtras {
  readonly members?: readonly MemberRef[];
  readonly groups?: readonly UserGroup[];
}

/**
 * Renders a stored resource in SCIM wire shape: `schemas`, `id`, the stored attributes, computed
 * `members`/`groups` with absolute `$ref`s, and `meta` (RFC 7643 §3.1) with an absolute location
 * and the weak ETag. The password hash is never part of it.
 */
export function renderResource(r: StoredResource, baseUrl: string, extras: RenderExtras = {}): Record<string, unknown> {
  const { schemas, password: _password, ...attributes } = r.data as Record<string, unknown>;
  const out: Record<string, unknown> = { schemas, id: r.id, ...attributes };
  const manager = managerWithRef(out, baseUrl);
  if (manager) Object.assign(out, manager);
  if (extras.members) {
    out.members = extras.members.map((m) => ({
      value: m.value,
      $ref: `${baseUrl}/${ENDPOINT[m.type]}/${encodeURIComponent(m.value)}`,
      type: m.type,
      ...(m.display !== undefined ? { display: m.display } : {}),
    }));
  }
  if (extras.groups) {
    out.groups = extras.groups.map((g) => ({
      value: g.value,
      $ref: `${baseUrl}/Groups/${encodeURIComponent(g.value)}`,
      ...(g.display !== undefined ? { display: g.display } : {}),
      type: g.type,
    }));
  }
  out.meta = {
    resourceType: r.resourceType,
    created: r.created,
    lastModified: r.lastModified,
    location: `${baseUrl}/${ENDPOINT[r.resourceType]}/${encodeURIComponent(r.id)}`,
    version: etagOf(r.version),
  };
  return out;
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Entra re-sends `manager` every cycle unless it comes back in one stable shape
 * (docs/idp-quirks.md): always `{value, $ref}`, plus `displayName` when stored.
 */
function managerWithRef(resource: Record<string, unknown>, baseUrl: string): Record<string, unknown> | undefined {
  const ext = resource[ENTERPRISE] as Record<string, unknown> | undefined;
  const manager = ext?.manager as Record<string, unknown> | undefined;
  if (!manager || typeof manager.value !== 'string') return undefined;
  return {
    [ENTERPRISE]: {
      ...ext,
      manager: {
        value: manager.value,
        $ref: `${baseUrl}/Users/${encodeURIComponent(manager.value)}`,
        ...(manager.displayName !== undefined ? { displayName: manager.displayName } : {}),
      },
    },
  };
}

/**
 * The wire shape the PATCH engine and validator work on: the stored attributes with `id`, without
 * computed `$ref`s or `meta`; the password hash rides along so an untouched password survives.
 */
export function wireForUpdate(r: StoredResource): Record<string, unknown> {
  return { ...r.data, id: r.id };
}
