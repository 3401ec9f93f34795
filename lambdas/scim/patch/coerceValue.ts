import { ScimError } from '../errors';
import { subAttribute, type AttributeDefinition } from '../schema';
import { isObject } from '../path/resolveAttribute';
import { bareValueAsComplex } from '../validate/attributeRules';
import { typedValue } from '../validate/valueSchema';

/**
 * Checks and normalises a PATCH value for an attribute: returns an array for multi-valued
 * attributes (a single value is wrapped), `null` for "clear it". The leaves are typed exactly as
 * POST and PUT type them (validate/valueSchema.ts: RFC 7643 §2.3 types with the IdPs' coercions,
 * Entra's "True"/"False" among them); a bare id for a complex attribute with a `value`
 * sub-attribute is that value (Entra's manager). readOnly sub-attributes are dropped (RFC 7643 §7).
 * Throws 400 `invalidValue` on a type mismatch, `invalidSyntax` on an unknown sub-attribute.
 */
export function coerceValue(def: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  if (def.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    return list.filter((v) => v !== null && v !== undefined).map((v) => coerceOne(def, v, where));
  }
  if (Array.isArray(value)) {
    if (value.length === 1) return coerceOne(def, value[0], where);
    if (value.length === 0) return null;
    throw ScimError.badRequest('invalidValue', `Attribute '${where}' is single-valued and cannot take an array`);
  }
  return coerceOne(def, value, where);
}

/** Coerces one value (one element of a multi-valued attribute). */
export function coerceOne(def: AttributeDefinition, v: unknown, where: string): unknown {
  if (def.type !== 'complex') return typedValue(def, v, where);
  const obj = isObject(v) ? v : bareValueAsComplex(def, v);
  if (!obj) throw ScimError.badRequest('invalidValue', `Attribute '${where}' must be a complex object`);
  const out: Record<string, unknown> = {};
  for (const [key, x] of Object.entries(obj)) {
    const sub = subAttribute(def, key);
    if (!sub) throw ScimError.badRequest('invalidSyntax', `"${where}" has no sub-attribute "${key}"`);
    if (sub.mutability === 'readOnly') continue;
    out[sub.name] = x === null || x === undefined ? null : coerceValue(sub, x, `${where}.${sub.name}`);
  }
  return out;
}
