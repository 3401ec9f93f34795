import { ScimError } from '../errors';
import { subAttribute, type AttributeDefinition } from '../schema';
import { isObject } from '../path/resolveAttribute';

function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}

/**
 * Checks and normalises a PATCH value for an attribute (RFC 7643 §2.3 types): returns an array
 * for multi-valued attributes (a single value is wrapped), `null` for "clear it". Tolerates
 * what IdPs send: "True"/"False" for booleans (Entra), a bare id for a complex attribute with a
 * `value` sub-attribute (Entra's manager). readOnly sub-attributes are dropped (RFC 7643 §7).
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
    throw invalidValue(`"${where}" is single-valued and cannot take an array`);
  }
  return coerceOne(def, value, where);
}

/** Coerces one value (one element of a multi-valued attribute). */
export function coerceOne(def: AttributeDefinition, v: unknown, where: string): unknown {
  switch (def.type) {
    case 'complex': {
      const valueSub = subAttribute(def, 'value');
      if (!isObject(v)) {
        if (valueSub && (typeof v === 'string' || typeof v === 'number')) return { [valueSub.name]: coerceOne(valueSub, v, `${where}.value`) };
        throw invalidValue(`"${where}" must be an object`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, x] of Object.entries(v)) {
        const sub = subAttribute(def, key);
        if (!sub) throw ScimError.badRequest('invalidSyntax', `"${where}" has no sub-attribute "${key}"`);
        if (sub.mutability === 'readOnly') continue;
        out[sub.name] = x === null || x === undefined ? null : coerceValue(sub, x, `${where}.${sub.name}`);
      }
      return out;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      // Entra sends "True"/"False" (older jobs, and for `active` on deactivation).
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      throw invalidValue(`"${where}" must be a boolean`);
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      throw invalidValue(`"${where}" must be an integer`);
    case 'decimal':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      throw invalidValue(`"${where}" must be a number`);
    case 'dateTime':
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
      throw invalidValue(`"${where}" must be an xsd:dateTime string`);
    default:
      if (typeof v === 'string') return v;
      // Some clients send numeric identifiers (employeeNumber) as JSON numbers.
      if (typeof v === 'number' && def.type === 'string') return String(v);
      throw invalidValue(`"${where}" must be a string`);
  }
}
