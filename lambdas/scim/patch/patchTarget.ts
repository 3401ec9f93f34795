import type { FilterNode } from '../filter/ast';
import type { AttributeDefinition, SchemaDefinition } from '../schema';
import { findKey, getIgnoringCase, isObject } from '../path/resolveAttribute';
import { isAssigned } from '../validate/attributeRules';

/** A resource (or part of one) in SCIM wire shape. */
export type Json = Record<string, unknown>;

/** What one operation's path names: the attribute, where it lives, and the sub-attribute and value filter if any. */
export interface PatchTarget {
  /** The path as the client wrote it (for error details). */
  readonly text: string;
  readonly def: AttributeDefinition;
  /** The extension schema holding the attribute; absent for core attributes. */
  readonly extension?: SchemaDefinition;
  readonly sub?: AttributeDefinition;
  /** The value filter (`emails[type eq "work"]`), parsed and compiled. */
  readonly filterNode?: FilterNode;
  readonly filter?: (el: Json) => boolean;
}

/**
 * The copy of the resource a PATCH works on: reads and writes an attribute where its schema puts
 * it, core attributes at the top, extension attributes in their URN's object (RFC 7643 §3.3).
 */
export class WorkingResource {
  constructor(readonly json: Json) {}

  /** The current value at a path without filter: the attribute, or its sub-attribute. */
  readTarget(t: PatchTarget): unknown {
    const cur = this.read(t);
    if (!t.sub) return cur;
    if (Array.isArray(cur)) return cur.map((el) => (isObject(el) ? getIgnoringCase(el, t.sub!.name) : undefined));
    return isObject(cur) ? getIgnoringCase(cur, t.sub.name) : undefined;
  }

  /** The object holding the attribute: the resource, or its extension's object (made, and listed in `schemas`, when `create`). */
  container(t: PatchTarget, create: boolean): Json | undefined {
    if (!t.extension) return this.json;
    const key = findKey(this.json, t.extension.id);
    const existing = key === undefined ? undefined : this.json[key];
    if (isObject(existing)) return existing;
    if (!create) return undefined;
    const made: Json = {};
    this.json[t.extension.id] = made;
    const schemas = this.json.schemas;
    if (Array.isArray(schemas) && !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === t.extension!.id.toLowerCase())) schemas.push(t.extension.id);
    return made;
  }

  /** The attribute's current value. */
  read(t: PatchTarget): unknown {
    const c = this.container(t, false);
    return c ? getIgnoringCase(c, t.def.name) : undefined;
  }

  /** Sets the attribute (under its schema's name, whatever case it was stored in); undefined removes it. */
  write(t: PatchTarget, value: unknown): void {
    const c = this.container(t, value !== undefined);
    if (!c) return;
    for (const k of Object.keys(c)) if (k.toLowerCase() === t.def.name.toLowerCase()) delete c[k];
    if (value !== undefined) c[t.def.name] = value;
  }

  /** The attribute's values as a list (none, one, or many). */
  list(t: PatchTarget): Json[] {
    const cur = this.read(t);
    if (cur === undefined || cur === null) return [];
    return (Array.isArray(cur) ? cur : [cur]) as Json[];
  }

  /** Writes a complex value, or removes the attribute when no sub-attribute is left. */
  writeComplex(t: PatchTarget, obj: Json): void {
    this.write(t, isAssigned(obj) ? obj : undefined);
  }
}
