import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../errors';
import { subAttribute, type AttributeDefinition } from '../schema';

/**
 * The attribute rules every write obeys, in one place for POST and PUT (validateResource) and
 * PATCH (applyPatch): what counts as a value, when two values are the same, `immutable` (RFC 7643
 * §7) and `required` (RFC 7643 §2.2).
 */

/** True when an attribute holds a value: not null, not "", not an empty list or object (RFC 7643 §2.5, unassigned). */
export function isAssigned(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/**
 * True when two values of an attribute are the same value: strings compare as the attribute's
 * `caseExact` says (RFC 7643 §2.1), anything else structurally.
 */
export function sameAttributeValue(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !def.caseExact) return a.toLowerCase() === b.toLowerCase();
  return isDeepStrictEqual(a, b);
}

/**
 * RFC 7643 §7 `immutable`: once an attribute has a value, a write may give it that value again,
 * never another one and never none. 400 `mutability` otherwise. (What a PUT that leaves the
 * attribute out means is the PUT's business: RFC 7644 §3.5.1 keeps the stored value.)
 */
export function checkImmutable(def: AttributeDefinition, stored: unknown, given: unknown, path: string): void {
  if (def.mutability !== 'immutable' || !isAssigned(stored)) return;
  if (!isAssigned(given) || !sameAttributeValue(def, given, stored)) {
    throw new ScimError(400, 'mutability', `Attribute '${path}' is immutable and cannot be changed`);
  }
}

/**
 * RFC 7643 §2.2 `required`: a writable required attribute must hold a value after the write
 * (`userName`, Group `displayName`, a tenant's required extension attribute). 400 `invalidValue`.
 */
export function checkRequired(def: AttributeDefinition, value: unknown, path: string): void {
  if (def.required && def.mutability !== 'readOnly' && !isAssigned(value)) {
    throw new ScimError(400, 'invalidValue', `Attribute '${path}' is required`);
  }
}

/**
 * A bare value given for a complex attribute with a `value` sub-attribute, as that complex value:
 * Entra sends the enterprise `manager` as a bare id string. Undefined when `raw` is not such a value.
 */
export function bareValueAsComplex(def: AttributeDefinition, raw: unknown): Record<string, unknown> | undefined {
  const valueSub = def.type === 'complex' ? subAttribute(def, 'value') : undefined;
  if (!valueSub || raw === null || typeof raw === 'object') return undefined;
  return { [valueSub.name]: raw };
}
