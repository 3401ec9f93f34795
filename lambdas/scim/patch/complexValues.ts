import { isDeepStrictEqual } from 'node:util';
import { subAttribute, type AttributeDefinition } from '../schema';
import { getIgnoringCase, isObject } from '../path/resolveAttribute';
import { isAssigned } from '../validate/attributeRules';
import type { Json } from './patchTarget';

/**
 * How PATCH compares and merges the values of complex and multi-valued attributes (RFC 7644
 * §3.5.2.1: an added value equal to one present is merged, not duplicated).
 */

/** True when writing `value` would leave `current` as it is (both empty counts as the same). */
export function sameAsCurrent(current: unknown, value: unknown): boolean {
  if (!isAssigned(current) && !isAssigned(value)) return true;
  return isDeepStrictEqual(current, value);
}

/** Sets a sub-attribute under its schema's name (whatever case it had); null or undefined removes it. */
export function setSub(el: Json, name: string, v: unknown): void {
  for (const k of Object.keys(el)) if (k.toLowerCase() === name.toLowerCase()) delete el[k];
  if (v !== null && v !== undefined) el[name] = v;
}

/** A copy of a complex value without one sub-attribute. */
export function without(obj: Json, name: string): Json {
  const out = { ...obj };
  setSub(out, name, null);
  return out;
}

/** A copy of a complex value without its null sub-attributes (null in a PATCH value means unassigned). */
export function stripNulls(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Merges sub-attributes into a complex value (null deletes). When the `value` sub-attribute
 * changes, the others described the old value (manager `$ref`/`displayName`), so start afresh.
 */
export function merge(cur: Json, patch: Json, def: AttributeDefinition): Json {
  const valueKey = subAttribute(def, 'value') ? 'value' : undefined;
  const oldValue = valueKey ? getIgnoringCase(cur, valueKey) : undefined;
  const newValue = valueKey ? getIgnoringCase(patch, valueKey) : undefined;
  const out: Json = def.multiValued || newValue === undefined || newValue === null || oldValue === newValue ? { ...cur } : {};
  for (const [k, v] of Object.entries(patch)) setSub(out, k, v);
  return out;
}

/** A string as compared for its attribute: lower-cased unless caseExact. */
export function fold(def: AttributeDefinition | undefined, v: unknown): unknown {
  return typeof v === 'string' && def && !def.caseExact ? v.toLowerCase() : v;
}

/** Same `value` (per caseExact) — or deep-equal for attributes without one. */
export function sameValue(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  const valueDef = def.type === 'complex' ? subAttribute(def, 'value') : def;
  if (def.type === 'complex' && !valueDef) return isDeepStrictEqual(a, b);
  const va = isObject(a) ? getIgnoringCase(a, 'value') : a;
  const vb = isObject(b) ? getIgnoringCase(b, 'value') : b;
  return va !== undefined && fold(valueDef, va) === fold(valueDef, vb);
}

/** An add duplicates an element when value and type agree. */
export function sameElement(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (def.type !== 'complex' || !subAttribute(def, 'value')) return isDeepStrictEqual(a, b);
  const typeDef = subAttribute(def, 'type');
  const ta = isObject(a) ? getIgnoringCase(a, 'type') : undefined;
  const tb = isObject(b) ? getIgnoringCase(b, 'type') : undefined;
  return sameValue(def, a, b) && fold(typeDef, ta) === fold(typeDef, tb);
}
