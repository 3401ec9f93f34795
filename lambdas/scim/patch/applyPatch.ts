import { isDeepStrictEqual } from 'node:util';
import { ScimError, isScimError, type ScimErrorType } from '../errors';
import { conjunctEqualities } from '../filter/planFilter';
import { compileValueFilter } from '../filter/matchesFilter';
import type { ResourceTypeName } from '../filter/planFilter';
import type { FilterNode } from '../filter/ast';
import { COMMON_ATTRIBUTES, subAttribute, type AttributeDefinition, type SchemaDefinition, type SchemaRegistry } from '../schema';
import { parsePath } from '../path/parsePath';
import { findKey, getIgnoringCase, isObject, resolveAttribute, resolveExtension } from '../path/resolveAttribute';
import { checkImmutable, checkRequired, isAssigned } from '../validate/attributeRules';
import { coerceOne, coerceValue } from './coerceValue';
import { MemberDeltaBuilder, type MemberDelta, type MemberRef } from './memberDelta';
import { parsePatchBody, type PatchOperation } from './parsePatchBody';

/** What the PATCH engine needs besides the resource. */
export interface PatchContext {
  readonly registry: SchemaRegistry;
  readonly resourceType: ResourceTypeName;
}

/** The patched resource (a new object), the group member delta if any, and whether anything changed. */
export interface PatchResult {
  readonly resource: Record<string, unknown>;
  readonly memberDelta?: MemberDelta;
  readonly changed: boolean;
}

type Json = Record<string, unknown>;

interface Target {
  readonly text: string;
  readonly def: AttributeDefinition;
  readonly extension?: SchemaDefinition;
  readonly sub?: AttributeDefinition;
  readonly filterNode?: FilterNode;
  readonly filter?: (el: Json) => boolean;
}

/**
 * Applies an RFC 7644 §3.5.2 PatchOp body to a resource in SCIM wire shape, atomically: it
 * works on a copy and either returns the result of all operations or throws a ScimError
 * (`invalidSyntax`, `invalidPath`, `noTarget`, `mutability`, `invalidValue`, `invalidFilter`)
 * leaving the input untouched. For Groups, `members` is not read from the resource: member
 * operations come back as `memberDelta` so groups of 100,000 members never load (docs/design.md, pattern 5).
 */
export function applyPatch(resource: Json, body: unknown, ctx: PatchContext): PatchResult {
  const operations = parsePatchBody(body);
  const engine = new PatchEngine(structuredClone(resource), ctx);
  operations.forEach((op) => engine.apply(op));
  engine.finish(resource);
  const memberDelta = engine.members.build();
  const changed = memberDelta !== undefined || !isDeepStrictEqual(resource, engine.working);
  return { resource: engine.working, ...(memberDelta ? { memberDelta } : {}), changed };
}

function fail(scimType: ScimErrorType, detail: string): ScimError {
  return ScimError.badRequest(scimType, detail);
}

class PatchEngine {
  readonly members = new MemberDeltaBuilder();
  constructor(
    readonly working: Json,
    private readonly ctx: PatchContext,
  ) {}

  apply(op: PatchOperation): void {
    if (op.path === undefined) {
      // RFC 7644 §3.5.2.2: remove needs a path.
      if (op.op === 'remove') throw fail('noTarget', 'A "remove" operation needs a "path"');
      if (!isObject(op.value)) throw fail('invalidSyntax', `An "${op.op}" operation without "path" needs an object "value"`);
      this.applyNoPath(op.op, op.value);
      return;
    }
    this.applyPath(op.op, op.path, op.value, 'invalidPath');
  }

  /** RFC 7644 §3.5.2.1/3: each key of `value` is an attribute, dotted or URN-qualified (Entra), or an extension URN holding an object. */
  private applyNoPath(kind: 'add' | 'replace', value: Json): void {
    const extensions = this.ctx.registry.forType(this.ctx.resourceType).extensions;
    for (const [key, v] of Object.entries(value)) {
      if (key.toLowerCase() === 'schemas') continue;
      const extension = extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
      if (extension) {
        this.applyExtension(kind, extension, v, 'invalidSyntax');
        continue;
      }
      this.applyPath(kind, key, v, 'invalidSyntax');
    }
  }

  private applyExtension(kind: 'add' | 'replace' | 'remove', extension: SchemaDefinition, v: unknown, errType: ScimErrorType): void {
    if (kind === 'remove' || v === null) {
      const key = findKey(this.working, extension.id);
      if (key !== undefined) delete this.working[key];
      return;
    }
    if (!isObject(v)) throw fail('invalidValue', `"${extension.id}" must hold an object`);
    for (const [k, x] of Object.entries(v)) this.applyPath(kind, `${extension.id}:${k}`, x, errType);
  }

  private applyPath(kind: PatchOperation['op'], text: string, value: unknown, errType: ScimErrorType): void {
    let path;
    try {
      path = parsePath(text);
    } catch (e) {
      throw isScimError(e) && errType !== 'invalidPath' ? fail(errType, `${e.detail} in the key "${text}"`) : e;
    }
    const extension = resolveExtension(this.ctx.registry, this.ctx.resourceType, path);
    if (extension && !path.filter) {
      this.applyExtension(kind, extension, value, errType);
      return;
    }
    const found = resolveAttribute(this.ctx.registry, this.ctx.resourceType, path);
    if (!found) throw fail(errType, `Unknown attribute "${text}" for ${this.ctx.resourceType}`);
    const { def } = found;
    let sub: AttributeDefinition | undefined;
    if (path.sub !== undefined) {
      sub = def.type === 'complex' ? subAttribute(def, path.sub) : undefined;
      if (!sub) throw fail(errType, `"${def.name}" has no sub-attribute "${path.sub}" (in "${text}")`);
    }
    let filter: Target['filter'];
    if (path.filter) {
      if (def.type !== 'complex') throw fail('invalidPath', `"${def.name}" is not complex and takes no filter (in "${text}")`);
      try {
        filter = compileValueFilter(path.filter, def, this.ctx);
      } catch (e) {
        throw isScimError(e) ? fail('invalidPath', `${e.detail} (in "${text}")`) : e;
      }
    }
    const target: Target = { text, def, ...(found.extension ? { extension: found.extension } : {}), ...(sub ? { sub } : {}), ...(path.filter ? { filterNode: path.filter, filter } : {}) };

    if (this.ctx.resourceType === 'Group' && !found.extension && def.name === 'members') {
      this.memberOp(kind, target, value);
      return;
    }
    if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
      this.readOnly(kind, target, value);
      return;
    }
    if (kind === 'remove') this.remove(target, value);
    else this.set(kind, target, value);
  }

  /**
   * RFC 7644 §3.5.2: "An operation that is not compatible with an attribute's mutability or
   * schema ... SHALL return the appropriate HTTP response status code": a PATCH naming a readOnly
   * attribute (`id`, `meta.*`, User `groups`, `manager.displayName`, a tenant's readOnly extension
   * attribute), by path or as a key of a no-path value, fails with 400 `mutability` whatever the
   * op. (POST and PUT bodies still ignore readOnly input, RFC 7643 §7.) An add or replace that
   * writes the value the attribute already has changes nothing and passes: Okta renames a group
   * with `{"op":"replace","value":{"id":"<its own id>","displayName":"New"}}`.
   */
  private readOnly(kind: PatchOperation['op'], t: Target, value: unknown): void {
    const name = `${t.def.name}${t.sub ? `.${t.sub.name}` : ''}`;
    if (kind !== 'remove' && !t.filter && sameAsCurrent(this.readTarget(t), value)) return;
    throw fail('mutability', `"${name}" is readOnly and cannot be changed (${kind} of "${t.text}")`);
  }

  /** The current value at a path without filter: the attribute, or its sub-attribute. */
  private readTarget(t: Target): unknown {
    const cur = this.read(t);
    if (!t.sub) return cur;
    if (Array.isArray(cur)) return cur.map((el) => (isObject(el) ? getIgnoringCase(el, t.sub!.name) : undefined));
    return isObject(cur) ? getIgnoringCase(cur, t.sub.name) : undefined;
  }

  private container(t: Target, create: boolean): Json | undefined {
    if (!t.extension) return this.working;
    const key = findKey(this.working, t.extension.id);
    const existing = key === undefined ? undefined : this.working[key];
    if (isObject(existing)) return existing;
    if (!create) return undefined;
    const made: Json = {};
    this.working[t.extension.id] = made;
    const schemas = this.working.schemas;
    if (Array.isArray(schemas) && !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === t.extension!.id.toLowerCase())) schemas.push(t.extension.id);
    return made;
  }

  private read(t: Target): unknown {
    const c = this.container(t, false);
    return c ? getIgnoringCase(c, t.def.name) : undefined;
  }

  private write(t: Target, value: unknown): void {
    const c = this.container(t, value !== undefined);
    if (!c) return;
    for (const k of Object.keys(c)) if (k.toLowerCase() === t.def.name.toLowerCase()) delete c[k];
    if (value !== undefined) c[t.def.name] = value;
  }

  private list(t: Target): Json[] {
    const cur = this.read(t);
    if (cur === undefined || cur === null) return [];
    return (Array.isArray(cur) ? cur : [cur]) as Json[];
  }

  private set(kind: 'add' | 'replace', t: Target, raw: unknown): void {
    if (raw === undefined) throw fail('invalidValue', `"${kind}" of "${t.text}" needs a "value"`);
    const { def, sub } = t;
    if (t.filter) return this.setFiltered(t, raw);
    if (sub) {
      const v = coerceValue(sub, raw, `${def.name}.${sub.name}`);
      if (def.multiValued) {
        const elements = this.list(t);
        if (elements.length === 0) {
          if (v !== null) this.write(t, [{ [sub.name]: v }]);
          return;
        }
        const fresh = new Set<Json>();
        for (const el of elements) {
          setSub(el, sub.name, v);
          fresh.add(el);
        }
        this.write(t, elements.filter(isAssigned));
        this.primaries(t, elements, fresh);
        return;
      }
      const cur = this.read(t);
      const obj: Json = isObject(cur) ? cur : {};
      this.writeComplex(t, merge(obj, { [sub.name]: v }, def));
      return;
    }
    const v = coerceValue(def, raw, def.name);
    if (v === null || (def.multiValued && (v as unknown[]).length === 0 && kind === 'replace')) {
      // null (or an empty list on replace) clears the attribute (RFC 7644 §3.5.2.3, docs/idp-quirks.md).
      this.write(t, undefined);
      return;
    }
    if (def.multiValued) {
      const incoming = (v as unknown[]).map((x) => (isObject(x) ? stripNulls(x) : x));
      if (kind === 'replace') {
        this.write(t, incoming);
        this.primaries(t, incoming as Json[], new Set(incoming as Json[]));
        return;
      }
      // RFC 7644 §3.5.2.1: add appends; an identical value (same value and type) is merged, not duplicated.
      const elements = [...this.list(t)];
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
      this.write(t, elements);
      this.primaries(t, elements, fresh);
      return;
    }
    if (def.type === 'complex') {
      // RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged.
      const cur = this.read(t);
      this.writeComplex(t, merge(isObject(cur) ? cur : {}, v as Json, def));
      return;
    }
    this.write(t, v);
  }

  private writeComplex(t: Target, obj: Json): void {
    this.write(t, isAssigned(obj) ? obj : undefined);
  }

  /** add/replace on `attr[filter]` or `attr[filter].sub`: update the matches, or create the element (Entra). */
  private setFiltered(t: Target, raw: unknown): void {
    const { def, sub } = t;
    const elements = def.multiValued ? [...this.list(t)] : this.list(t).filter(isObject);
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
      if (Object.keys(base).length === 0) throw fail('noTarget', `No value of "${def.name}" matches "${t.text}" and the filter does not say what to create`);
      const created = stripNulls({ ...base, ...patch });
      elements.push(created);
      fresh.add(created);
    }
    if (def.multiValued) {
      const kept = elements.filter(isAssigned);
      this.write(t, kept);
      this.primaries(t, kept, fresh);
    } else {
      this.writeComplex(t, elements[elements.length - 1] ?? {});
    }
  }

  private remove(t: Target, value: unknown): void {
    const { def, sub } = t;
    if (this.read(t) === undefined) return;
    if (t.filter) {
      if (!def.multiValued) {
        const cur = this.read(t);
        if (!isObject(cur) || !t.filter(cur)) return;
        if (sub) this.writeComplex(t, without(cur, sub.name));
        else this.write(t, undefined);
        return;
      }
      const elements = this.list(t);
      const kept = sub
        ? elements.map((el) => (isObject(el) && t.filter!(el) ? without(el, sub.name) : el)).filter(isAssigned)
        : elements.filter((el) => !(isObject(el) && t.filter!(el)));
      this.write(t, kept.length > 0 ? kept : undefined);
      return;
    }
    if (sub) {
      if (def.multiValued) {
        const kept = this.list(t).map((el) => (isObject(el) ? without(el, sub.name) : el)).filter(isAssigned);
        this.write(t, kept.length > 0 ? kept : undefined);
      } else {
        const cur = this.read(t);
        if (isObject(cur)) this.writeComplex(t, without(cur, sub.name));
      }
      return;
    }
    if (def.multiValued && value !== undefined && value !== null) {
      // Entra (older jobs) removes listed values: `{"op":"Remove","path":"emails","value":[{...}]}`.
      const gone = coerceValue(def, value, def.name) as unknown[];
      const kept = this.list(t).filter((el) => !gone.some((g) => sameValue(def, el, g)));
      this.write(t, kept.length > 0 ? kept : undefined);
      return;
    }
    // Singular attributes are removed whatever `value` says (Entra's manager removal comes both ways).
    this.write(t, undefined);
  }

  /** RFC 7644 §3.5.2: setting primary on one value clears it on the others; two in one value -> invalidValue. */
  private primaries(t: Target, elements: Json[], fresh: Set<Json>): void {
    if (!t.def.subAttributes?.some((s) => s.name === 'primary')) return;
    const newPrimaries = elements.filter((el) => fresh.has(el) && isObject(el) && el.primary === true);
    if (newPrimaries.length > 1) throw fail('invalidValue', `At most one value of "${t.def.name}" may be primary`);
    if (newPrimaries.length === 1) {
      for (const el of elements) if (isObject(el) && el !== newPrimaries[0] && el.primary === true) el.primary = false;
    }
    if (elements.filter((el) => isObject(el) && el.primary === true).length > 1) throw fail('invalidValue', `At most one value of "${t.def.name}" may be primary`);
  }

  /** Group members as a delta: never read, never rewritten (docs/design.md, pattern 5). */
  private memberOp(kind: PatchOperation['op'], t: Target, value: unknown): void {
    if (t.sub) throw fail('invalidPath', `"${t.text}": members are added or removed whole, not by sub-attribute`);
    if (t.filterNode) {
      if (kind !== 'remove') throw fail('invalidPath', `"${t.text}": add or replace members with path "members" and a value array`);
      for (const id of memberFilterIds(t.filterNode)) this.members.remove(id);
      return;
    }
    if (kind === 'remove') {
      if (value === undefined || value === null) this.members.replaceAll([]);
      else for (const ref of memberRefs(value)) this.members.remove(ref.value);
      return;
    }
    if (kind === 'replace') {
      // Okta: replace of `members` carries the full new set.
      this.members.replaceAll(value === undefined || value === null ? [] : memberRefs(value));
      return;
    }
    if (value === undefined || value === null) throw fail('invalidValue', '"add" of "members" needs a "value"');
    for (const ref of memberRefs(value)) this.members.add(ref);
  }

  /** Whole-request checks: immutable attributes unchanged once set, required ones kept, empty extensions dropped. */
  finish(original: Json): void {
    const types = this.ctx.registry.forType(this.ctx.resourceType);
    const scopes: { extension?: SchemaDefinition; defs: readonly AttributeDefinition[] }[] = [
      { defs: [...types.core.attributes, ...COMMON_ATTRIBUTES] },
      ...types.extensions.map((extension) => ({ extension, defs: extension.attributes })),
    ];
    for (const { extension, defs } of scopes) {
      const before = extension ? getIgnoringCase(original, extension.id) : original;
      const after = extension ? getIgnoringCase(this.working, extension.id) : this.working;
      for (const def of defs) {
        const was = isObject(before) ? getIgnoringCase(before, def.name) : undefined;
        const now = isObject(after) ? getIgnoringCase(after, def.name) : undefined;
        const path = extension ? `${extension.id}:${def.name}` : def.name;
        checkImmutable(def, was, now, path);
        // Only a removal is this request's doing; a value missing before is validateResource's to report.
        if (isAssigned(was)) checkRequired(def, now, path);
      }
      if (extension && isObject(after) && Object.keys(after).length === 0) {
        const key = findKey(this.working, extension.id)!;
        delete this.working[key];
        const schemas = this.working.schemas;
        if (Array.isArray(schemas)) this.working.schemas = schemas.filter((s) => typeof s !== 'string' || s.toLowerCase() !== extension.id.toLowerCase());
      }
    }
  }
}

/** True when writing `value` would leave `current` as it is (both empty counts as the same). */
function sameAsCurrent(current: unknown, value: unknown): boolean {
  if (!isAssigned(current) && !isAssigned(value)) return true;
  return isDeepStrictEqual(current, value);
}

function setSub(el: Json, name: string, v: unknown): void {
  for (const k of Object.keys(el)) if (k.toLowerCase() === name.toLowerCase()) delete el[k];
  if (v !== null && v !== undefined) el[name] = v;
}

function without(obj: Json, name: string): Json {
  const out = { ...obj };
  setSub(out, name, null);
  return out;
}

function stripNulls(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Merges sub-attributes into a complex value (null deletes). When the `value` sub-attribute
 * changes, the others described the old value (manager `$ref`/`displayName`), so start afresh.
 */
function merge(cur: Json, patch: Json, def: AttributeDefinition): Json {
  const valueKey = subAttribute(def, 'value') ? 'value' : undefined;
  const oldValue = valueKey ? getIgnoringCase(cur, valueKey) : undefined;
  const newValue = valueKey ? getIgnoringCase(patch, valueKey) : undefined;
  const out: Json = def.multiValued || newValue === undefined || newValue === null || oldValue === newValue ? { ...cur } : {};
  for (const [k, v] of Object.entries(patch)) setSub(out, k, v);
  return out;
}

function fold(def: AttributeDefinition | undefined, v: unknown): unknown {
  return typeof v === 'string' && def && !def.caseExact ? v.toLowerCase() : v;
}

/** Same `value` (per caseExact) — or deep-equal for attributes without one. */
function sameValue(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  const valueDef = def.type === 'complex' ? subAttribute(def, 'value') : def;
  if (def.type === 'complex' && !valueDef) return isDeepStrictEqual(a, b);
  const va = isObject(a) ? getIgnoringCase(a, 'value') : a;
  const vb = isObject(b) ? getIgnoringCase(b, 'value') : b;
  return va !== undefined && fold(valueDef, va) === fold(valueDef, vb);
}

/** An add duplicates an element when value and type agree. */
function sameElement(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (def.type !== 'complex' || !subAttribute(def, 'value')) return isDeepStrictEqual(a, b);
  const typeDef = subAttribute(def, 'type');
  const ta = isObject(a) ? getIgnoringCase(a, 'type') : undefined;
  const tb = isObject(b) ? getIgnoringCase(b, 'type') : undefined;
  return sameValue(def, a, b) && fold(typeDef, ta) === fold(typeDef, tb);
}

/** `{value, type?, display?, $ref?}` list from a member value (an array, one object, or bare ids). */
function memberRefs(value: unknown): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (typeof m === 'string' && m !== '') return { value: m };
    if (!isObject(m)) throw fail('invalidValue', 'Each member must be an object with a string "value"');
    const id = getIgnoringCase(m, 'value');
    if (typeof id !== 'string' || id === '') throw fail('invalidValue', 'Each member must have a string "value"');
    const ref: { value: string; type?: string; display?: string; $ref?: string } = { value: id };
    for (const k of ['type', 'display', '$ref'] as const) {
      const x = getIgnoringCase(m, k);
      if (typeof x === 'string') ref[k] = x;
    }
    return ref;
  });
}

/** Member ids named by `value eq "id"` (or an OR of them): the only member filter served without loading members. */
function memberFilterIds(node: FilterNode): string[] {
  if (node.kind === 'or') return [...memberFilterIds(node.left), ...memberFilterIds(node.right)];
  if (node.kind === 'compare' && node.op === 'eq' && node.path.attr.toLowerCase() === 'value' && node.path.sub === undefined && typeof node.value === 'string') {
    return [node.value];
  }
  throw fail('invalidFilter', 'Members can only be selected by `members[value eq "<id>"]`: a group\'s members are not loaded to evaluate other filters');
}
