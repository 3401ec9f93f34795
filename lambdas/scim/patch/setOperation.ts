import { ScimError } from '../errors';
import { conjunctEqualities } from '../filter/planFilter';
import { subAttribute } from '../schema';
import { isObject } from '../path/resolveAttribute';
import { isAssigned } from '../validate/attributeRules';
import { coerceOne, coerceValue } from './coerceValue';
import { merge, sameElement, setSub, stripNulls } from './complexValues';
import type { Json, PatchTarget, WorkingResource } from './patchTarget';

/**
 * `add` and `replace` of one path (RFC 7644 §3.5.2.1 and §3.5.2.3): to an attribute, a
 * sub-attribute, or the values a filter selects, keeping at most one primary value.
 */
export function setValue(doc: WorkingResource, kind: 'add' | 'replace', t: PatchTarget, raw: unknown): void {
  if (raw === undefined) throw ScimError.badRequest('invalidValue', `"${kind}" of "${t.text}" needs a "value"`);
  const { def, sub } = t;
  if (t.filter) return setFiltered(doc, t, raw);
  if (sub) {
    const v = coerceValue(sub, raw, `${def.name}.${sub.name}`);
    if (def.multiValued) {
      const elements = doc.list(t);
      if (elements.length === 0) {
        if (v !== null) doc.write(t, [{ [sub.name]: v }]);
        return;
      }
      const fresh = new Set<Json>();
      for (const el of elements) {
        setSub(el, sub.name, v);
        fresh.add(el);
      }
      doc.write(t, elements.filter(isAssigned));
      primaries(t, elements, fresh);
      return;
    }
    const cur = doc.read(t);
    const obj: Json = isObject(cur) ? cur : {};
    doc.writeComplex(t, merge(obj, { [sub.name]: v }, def));
    return;
  }
  const v = coerceValue(def, raw, def.name);
  if (v === null || (def.multiValued && (v as unknown[]).length === 0 && kind === 'replace')) {
    // null (or an empty list on replace) clears the attribute (RFC 7644 §3.5.2.3, docs/idp-quirks.md).
    doc.write(t, undefined);
    return;
  }
  if (def.multiValued) {
    const incoming = (v as unknown[]).map((x) => (isObject(x) ? stripNulls(x) : x));
    if (kind === 'replace') {
      doc.write(t, incoming);
      primaries(t, incoming as Json[], new Set(incoming as Json[]));
      return;
    }
    // RFC 7644 §3.5.2.1: add appends; an identical value (same value and type) is merged, not duplicated.
    const elements = [...doc.list(t)];
    const fresh = new Set<Json>();
    for (const x of incoming) {
      const same = elements.findIndex((el) => sameElement(def, el, x));
      if (same >= 0) {
        const merged = isObject(x) ? { ...elements[same], ...x } : x;
        elements[same] = merged as Json;
        if (isObject(merged)) fresh.add(merged);
      } else {
        elements.push(x as Json);
        if (isObject(x)) fresh.add(x);
      }
    }
    doc.write(t, elements);
    primaries(t, elements, fresh);
    return;
  }
  if (def.type === 'complex') {
    // RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged.
    const cur = doc.read(t);
    doc.writeComplex(t, merge(isObject(cur) ? cur : {}, v as Json, def));
    return;
  }
  doc.write(t, v);
}

/** add/replace on `attr[filter]` or `attr[filter].sub`: update the matches, or create the element (Entra). */
function setFiltered(doc: WorkingResource, t: PatchTarget, raw: unknown): void {
  const { def, sub } = t;
  const elements = def.multiValued ? [...doc.list(t)] : doc.list(t).filter(isObject);
  const matched = elements.filter((el) => isObject(el) && t.filter!(el));
  const patch: Json = sub
    ? { [sub.name]: coerceValue(sub, raw, `${def.name}.${sub.name}`) }
    : (coerceOne(def, Array.isArray(raw) && raw.length === 1 ? raw[0] : raw, def.name) as Json);
  const fresh = new Set<Json>();
  if (matched.length > 0) {
    for (const el of matched) {
      const merged = merge(el, patch, def);
      elements[elements.indexOf(el)] = merged;
      fresh.add(merged);
    }
  } else {
    // Entra: a replace of `emails[type eq "work"].value` with no work email creates
    // `{type: "work", value}`; the filter's equalities describe the new element.
    const base: Json = {};
    for (const [name, literal] of conjunctEqualities(t.filterNode!)) {
      const subDef = subAttribute(def, name);
      if (subDef && subDef.mutability !== 'readOnly') base[subDef.name] = coerceOne(subDef, literal, `${def.name}.${subDef.name}`);
    }
    if (Object.keys(base).length === 0) throw ScimError.badRequest('noTarget', `No value of "${def.name}" matches "${t.text}" and the filter does not say what to create`);
    const created = stripNulls({ ...base, ...patch });
    elements.push(created);
    fresh.add(created);
  }
  if (def.multiValued) {
    const kept = elements.filter(isAssigned);
    doc.write(t, kept);
    primaries(t, kept, fresh);
  } else {
    doc.writeComplex(t, elements[elements.length - 1] ?? {});
  }
}

/** RFC 7644 §3.5.2: setting primary on one value clears it on the others; two in one value -> invalidValue. */
function primaries(t: PatchTarget, elements: Json[], fresh: Set<Json>): void {
  if (!t.def.subAttributes?.some((s) => s.name === 'primary')) return;
  const newPrimaries = elements.filter((el) => fresh.has(el) && isObject(el) && el.primary === true);
  if (newPrimaries.length > 1) throw ScimError.badRequest('invalidValue', `At most one value of "${t.def.name}" may be primary`);
  if (newPrimaries.length === 1) {
    for (const el of elements) if (isObject(el) && el !== newPrimaries[0] && el.primary === true) el.primary = false;
  }
  if (elements.filter((el) => isObject(el) && el.primary === true).length > 1) throw ScimError.badRequest('invalidValue', `At most one value of "${t.def.name}" may be primary`);
}

