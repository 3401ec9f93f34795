import { COMMON_ATTRIBUTES, type AttributeDefinition, type ResourceTypeSchemas } from '../schema';

const META = COMMON_ATTRIBUTES.find((a) => a.name === 'meta')!;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A complex value (or each element of a multi-valued one) with its sub-attributes in schema order. */
function orderValue(def: AttributeDefinition, value: unknown): unknown {
  if (!def.subAttributes) return value;
  if (Array.isArray(value)) return value.map((e) => (isObject(e) ? orderObject(e, def.subAttributes!) : e));
  return isObject(value) ? orderObject(value, def.subAttributes) : value;
}

/** The keys of `obj` in the order of `attrs` (names matched case-insensitively), others after. */
function orderObject(obj: Record<string, unknown>, attrs: readonly AttributeDefinition[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  for (const def of attrs) {
    const key = keys.find((k) => k.toLowerCase() === def.name.toLowerCase());
    if (key !== undefined) out[key] = orderValue(def, obj[key]);
  }
  for (const key of keys) if (!(key in out)) out[key] = obj[key];
  return out;
}

/**
 * A resource with its attributes in one stable order: `schemas`, `id`, `externalId`, the core
 * schema's attributes in schema order, each extension in registry order, `meta` last; complex
 * values in sub-attribute order. DynamoDB does not keep a map's key order, and IdPs that diff
 * what they read (Entra re-sends what looks changed) deserve the same text for the same data.
 */
export function canonicalOrder(resource: Record<string, unknown>, types: ResourceTypeSchemas): Record<string, unknown> {
  const head = COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta');
  const ordered = orderObject(resource, [
    { ...head[0], name: 'schemas' },
    ...head,
    ...types.core.attributes,
  ]);
  const out: Record<string, unknown> = {};
  const keys = Object.keys(ordered);
  for (const [key, value] of Object.entries(ordered)) {
    if (key.toLowerCase() === 'meta' || key.startsWith('urn:')) continue;
    out[key] = value;
  }
  for (const ext of types.extensions) {
    const key = keys.find((k) => k.toLowerCase() === ext.id.toLowerCase());
    if (key !== undefined) out[key] = isObject(ordered[key]) ? orderObject(ordered[key] as Record<string, unknown>, ext.attributes) : ordered[key];
  }
  for (const key of keys) if (!(key in out) && key.toLowerCase() !== 'meta') out[key] = ordered[key];
  const meta = keys.find((k) => k.toLowerCase() === 'meta');
  if (meta !== undefined) out[meta] = orderValue(META, ordered[meta]);
  return out;
}
