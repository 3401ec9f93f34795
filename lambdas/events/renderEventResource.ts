import { projectResource } from '../scim/projection';
import type { SchemaRegistry } from '../scim/schema';

/** The parts of a resource item the feed renders. */
export interface ItemResource {
  readonly resourceType: 'User' | 'Group';
  readonly id: string;
  readonly version: number;
  readonly created: string;
  readonly lastModified: string;
  readonly data: Record<string, unknown>;
}

/**
 * The resource as a SCIM GET without `attributes` would return it (RFC 7643 §7 `returned`
 * defaults): `returned: never` attributes (the password hash) and `returned: request` ones are
 * left out, so nothing the API would not show leaves the table through the feed. No `members`
 * (membership events list them) and no `meta.location` (the feed does not know the public URL).
 */
export function renderEventResource(r: ItemResource, registry: SchemaRegistry): Record<string, unknown> {
  const body = projectResource({ ...r.data, id: r.id }, { registry, resourceType: r.resourceType });
  return {
    ...body,
    meta: { resourceType: r.resourceType, created: r.created, lastModified: r.lastModified, version: `W/"${r.version}"` },
  };
}
