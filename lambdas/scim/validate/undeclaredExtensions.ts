import { isUrnKey, resolveSchemaKey, type SchemaRegistry } from '../schema';

type Json = Record<string, unknown>;

/** The stored values of extensions the tenant no longer declares, set aside from a write and put back after it. */
export interface UndeclaredExtensions {
  /** The URN keys and their stored objects, as stored. */
  readonly values: Json;
  /** Their URNs as the stored `schemas` listed them. */
  readonly schemas: readonly string[];
}

/**
 * Splits a stored resource into what the tenant's schemas declare and the data of extensions it
 * no longer declares (a custom schema removed from its configuration). The declared part is what
 * PATCH and PUT validate: data no schema describes cannot be validated against anything, and
 * failing every write of such a user with 400 would stop an IdP's sync for good. The rest is
 * kept as stored, never returned (projectResource, withoutNeverReturned leave it out), so that
 * declaring the extension again brings it back: removing a schema is not a request to delete data.
 */
export function setAsideUndeclaredExtensions(data: Json, registry: SchemaRegistry, resourceType: 'User' | 'Group'): { declared: Json; undeclared: UndeclaredExtensions } {
  const types = registry.forType(resourceType);
  const declared: Json = {};
  const values: Json = {};
  for (const [key, value] of Object.entries(data)) {
    if (key !== 'schemas' && isUrnKey(key) && !resolveSchemaKey(types, key)) values[key] = value;
    else declared[key] = value;
  }
  const keys = new Set(Object.keys(values).map((k) => k.toLowerCase()));
  const stored = Array.isArray(data.schemas) ? (data.schemas as unknown[]) : [];
  const schemas = stored.filter((u): u is string => typeof u === 'string' && keys.has(u.toLowerCase()));
  if (keys.size > 0 && Array.isArray(data.schemas)) declared.schemas = stored.filter((u) => !schemas.includes(u as string));
  return { declared, undeclared: { values, schemas } };
}

/** A validated resource with the set-aside undeclared extension data back in it, its URNs in `schemas`. */
export function withUndeclaredExtensions(data: Json, undeclared: UndeclaredExtensions): Json {
  if (Object.keys(undeclared.values).length === 0) return data;
  const schemas = Array.isArray(data.schemas) ? (data.schemas as string[]) : [];
  return { ...data, ...undeclared.values, schemas: [...schemas, ...undeclared.schemas.filter((u) => !schemas.includes(u))] };
}
