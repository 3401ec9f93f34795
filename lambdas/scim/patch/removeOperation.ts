import { coerceValue } from './coerceValue';
import { isObject } from '../path/resolveAttribute';
import { isAssigned } from '../validate/attributeRules';
import { sameValue, without } from './complexValues';
import type { PatchTarget, WorkingResource } from './patchTarget';

/**
 * `remove` of one path (RFC 7644 §3.5.2.2): the attribute, a sub-attribute, the values a filter
 * selects, or (Entra's older jobs) the values listed in `value`.
 */
export function removeValue(doc: WorkingResource, t: PatchTarget, value: unknown): void {
  const { def, sub } = t;
  if (doc.read(t) === undefined) return;
  if (t.filter) {
    if (!def.multiValued) {
      const cur = doc.read(t);
      if (!isObject(cur) || !t.filter(cur)) return;
      if (sub) doc.writeComplex(t, without(cur, sub.name));
      else doc.write(t, undefined);
      return;
    }
    const elements = doc.list(t);
    const kept = sub
      ? elements.map((el) => (isObject(el) && t.filter!(el) ? without(el, sub.name) : el)).filter(isAssigned)
      : elements.filter((el) => !(isObject(el) && t.filter!(el)));
    doc.write(t, kept.length > 0 ? kept : undefined);
    return;
  }
  if (sub) {
    if (def.multiValued) {
      const kept = doc.list(t).map((el) => (isObject(el) ? without(el, sub.name) : el)).filter(isAssigned);
      doc.write(t, kept.length > 0 ? kept : undefined);
    } else {
      const cur = doc.read(t);
      if (isObject(cur)) doc.writeComplex(t, without(cur, sub.name));
    }
    return;
  }
  if (def.multiValued && value !== undefined && value !== null) {
    // Entra (older jobs) removes listed values: `{"op":"Remove","path":"emails","value":[{...}]}`.
    const gone = coerceValue(def, value, def.name) as unknown[];
    const kept = doc.list(t).filter((el) => !gone.some((g) => sameValue(def, el, g)));
    doc.write(t, kept.length > 0 ? kept : undefined);
    return;
  }
  // Singular attributes are removed whatever `value` says (Entra's manager removal comes both ways).
  doc.write(t, undefined);
}
