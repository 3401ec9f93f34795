import { COMMON_ATTRIBUTES, findAttribute, isUrnKey, resolveSchemaKey, subAttribute, type AttributeDefinition, type SchemaRegistry } from '../schema';

/**
 * A stored resource's attributes without what RFC 7643 §7 says is `returned: "never"` (the
 * password hash, and any custom extension attribute declared so), at any depth (sub-attributes of
 * complex and multi-valued ones too), for the vendor app's typed reader. Unlike projectResource it
 * keeps `returned: "request"` attributes: the app reads the whole resource, not a default response.
 * Fails closed on what the schemas do not declare: an extension URN the registry does not know (a
 * schema removed from the tenant's configuration, or a reader not given it) is left out with all its
 * values, as is an undeclared attribute of a known extension, since whether it is secret is unknown.
 */
export function withoutNeverReturned(data: Record<string, unknown>, registry: SchemaRegistry, resourceType: 'User' | 'Group'): Record<string, unknown> {
  const types = registry.forType(resourceType);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (isUrnKey(key)) {
      const resolved = resolveSchemaKey(types, key);
      if (!resolved?.extension || resolved.rest !== '' || !isObject(value)) continue;
      const ext: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value)) {
        const def = findAttribute(resolved.schema.attributes, name);
        if (def && def.returned !== 'never') ext[name] = withoutNeverSubs(def, v);
      }
      if (Object.keys(ext).length > 0) out[key] = ext;
      continue;
    }
    if (key === 'schemas') continue;
    const def = findAttribute(types.core.attributes, key) ?? findAttribute(COMMON_ATTRIBUTES, key);
    if (def?.returned === 'never') continue;
    out[key] = def ? withoutNeverSubs(def, value) : value;
  }
  // `schemas` lists the core and the extensions kept, never a URN whose data was left out.
  if (Array.isArray(data.schemas)) {
    const kept = new Set(Object.keys(out).filter(isUrnKey).map((k) => k.toLowerCase()));
    const core = types.core.id.toLowerCase();
    return { schemas: data.schemas.filter((u) => typeof u === 'string' && (u.toLowerCase() === core || kept.has(u.toLowerCase()))), ...out };
  }
  return out;
}

function withoutNeverSubs(def: AttributeDefinition, value: unknown): unknown {
  if (!def.subAttributes?.some((s) => s.returned === 'never')) return value;
  const strip = (v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => subAttribute(def, k)?.returned !== 'never')) : v);
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
