import { etagOf } from '../etag';
import { URN } from '../schema/urns';

/**
 * A resource as the layers below hold it (structurally the store's StoredResource): `data` is the
 * stored attributes without `id`, `meta`, Group `members` or User `groups`.
 */
export interface ResourceState {
  readonly id: string;
  readonly resourceType: 'User' | 'Group';
  readonly version: number;
  readonly created: string;
  readonly lastModified: string;
  readonly data: Record<string, unknown>;
}

/** A group member to render (RFC 7643 §4.2 `members`). */
export interface RenderedMemberRef {
  readonly value: string;
  readonly type: 'User' | 'Group';
  readonly display?: string;
}

/** A group of a user to render (RFC 7643 §4.1.2 `groups`). */
export interface RenderedUserGroup {
  readonly value: string;
  readonly display?: string;
  readonly type: 'direct' | 'indirect';
}

/** Endpoint of each resource type, for `meta.location` and `$ref`. */
export const ENDPOINT = { User: 'Users', Group: 'Groups' } as const;

/** Extra computed attributes: a Group's `members`, a User's `groups`. */
export interface RenderExtras {
  readonly members?: readonly RenderedMemberRef[];
  readonly groups?: readonly RenderedUserGroup[];
}

/**
 * Renders a stored resource in SCIM wire shape: `schemas`, `id`, the stored attributes, computed
 * `members`/`groups` with absolute `$ref`s, and `meta` (RFC 7643 §3.1) with an absolute location
 * and the weak ETag. The password hash is never part of it.
 */
export function renderResource(r: ResourceState, baseUrl: string, extras: RenderExtras = {}): Record<string, unknown> {
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

const ENTERPRISE = URN.enterpriseUser;

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
export function wireForUpdate(r: ResourceState): Record<string, unknown> {
  return { ...r.data, id: r.id };
}
