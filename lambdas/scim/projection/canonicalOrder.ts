import { COMMON_ATTRIBUTES, type AttributeDefinition, type ResourceTypeSchemas } from '../schema';

const META = COMMON_ATTRIBUTES.find((a) => a.name === 'meta')!;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Position of each attribute of a list by lowercased name (the first declared wins), built once
 * per list: every rendered resource and value is ordered by it, so a 100-resource page must not
 * lowercase the schema's names again for each of them.
 */
const positions = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, number>>();

function positionsOf(attrs: readonly AttributeDefinition[]): ReadonlyMap<string, number> {
  let found = positions.get(attrs);
  if (!found) {
    const built = new Map<string, number>();
    attrs.forEach((def, i) => {
      const lower = def.name.toLowerCase();
      if (!built.has(lower)) built.set(lower, i);
    });
    positions.set(attrs, (found = built));
  }
  return found;
}

/** A complex value (or each element of a multi-valued one) with its sub-attributes in schema order. */
function orderValue(def: AttributeDefinition, value: unknown): unknown {
  const subs = def.subAttributes;
  if (!subs) return value;
  if (Array.isArray(value)) return value.map((e) => (isObject(e) ? orderObject(e, subs) : e));
  return isObject(value) ? orderObject(value, subs) : value;
}

/**
 * The keys of `obj` in the order of `attrs` (names matched case-insensitively, the first key of a
 * name taking its place), others after in their own order.
 */
function orderObject(obj: Record<string, unknown>, attrs: readonly AttributeDefinition[]): Record<string, unknown> {
  const index = positionsOf(attrs);
  const keys = Object.keys(obj);
  const slots: (string | undefined)[] = new Array<string | undefined>(attrs.length);
  let others = false;
  for (const key of keys) {
    const i = index.get(key.toLowerCase());
    if (i !== undefined && slots[i] === undefined) slots[i] = key;
    else others = true;
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < slots.length; i++) {
    const key = slots[i];
    if (key !== undefined) out[key] = orderValue(attrs[i], obj[key]);
  }
  if (others) for (const key of keys) if (!(key in out)) out[key] = obj[key];
  return out;
}

/** What ordering one resource type needs, built once per type. */
interface TypeOrder {
  /** `schemas`, `id`, `externalId`, then the core schema's attributes. */
  readonly head: readonly AttributeDefinition[];
  /** Extensions by lowercased URN, in registry order. */
  readonly extensions: ReadonlyMap<string, readonly AttributeDefinition[]>;
}

const typeOrders = new WeakMap<ResourceTypeSchemas, TypeOrder>();

function typeOrderOf(types: ResourceTypeSchemas): TypeOrder {
  let found = typeOrders.get(types);
  if (!found) {
    const common = COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta');
    found = {
      head: [{ ...common[0], name: 'schemas' }, ...common, ...types.core.attributes],
      extensions: new Map(types.extensions.map((ext) => [ext.id.toLowerCase(), ext.attributes])),
    };
    typeOrders.set(types, found);
  }
  return found;
}

/**
 * A resource with its attributes in one stable order: `schemas`, `id`, `externalId`, the core
 * schema's attributes in schema order, each extension in registry order, `meta` last; complex
 * values in sub-attribute order. DynamoDB does not keep a map's key order, and IdPs that diff
 * what they read (Entra re-sends what looks changed) deserve the same text for the same data.
 */
export function canonicalOrder(resource: Record<string, unknown>, types: ResourceTypeSchemas): Record<string, unknown> {
  const order = typeOrderOf(types);
  const ordered = orderObject(resource, order.head);
  const out: Record<string, unknown> = {};
  const keys = Object.keys(ordered);
  let meta: string | undefined;
  let urnKeys = false;
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (lower === 'meta') {
      meta ??= key;
      continue;
    }
    if (lower.startsWith('urn:') || order.extensions.has(lower)) urnKeys = true;
    if (key.startsWith('urn:')) continue;
    out[key] = ordered[key];
  }
  // Extensions in registry order, then any other URN key; a resource with neither skips this.
  if (urnKeys) {
    for (const [lowerUrn, attrs] of order.extensions) {
      const key = keys.find((k) => k.toLowerCase() === lowerUrn);
      if (key !== undefined) out[key] = isObject(ordered[key]) ? orderObject(ordered[key] as Record<string, unknown>, attrs) : ordered[key];
    }
    for (const key of keys) if (!(key in out) && key.toLowerCase() !== 'meta') out[key] = ordered[key];
  }
  if (meta !== undefined) out[meta] = orderValue(META, ordered[meta]);
  return out;
}
