import { isDeepStrictEqual } from 'node:util';
import { ScimError, isScimError, type ScimErrorType } from '../errors';
import { compileValueFilter } from '../filter/matchesFilter';
import type { ResourceTypeName } from '../filter/planFilter';
import { COMMON_ATTRIBUTES, subAttribute, type AttributeDefinition, type ResourceTypeSchemas, type SchemaDefinition, type SchemaRegistry } from '../schema';
import { parsePath } from '../path/parsePath';
import { findKey, getIgnoringCase, isObject, resolveAttribute, resolveExtension } from '../path/resolveAttribute';
import { checkImmutable, checkRequired, isAssigned } from '../validate/attributeRules';
import { sameAsCurrent } from './complexValues';
import { MemberDeltaBuilder, type MemberDelta } from './memberDelta';
import { memberOperation } from './memberOperation';
import { parsePatchBody, type PatchOperation } from './parsePatchBody';
import { WorkingResource, type Json, type PatchTarget } from './patchTarget';
import { removeValue } from './removeOperation';
import { setValue } from './setOperation';

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

/**
 * Applies an RFC 7644 §3.5.2 PatchOp body to a resource in SCIM wire shape, atomically: it
 * works on a copy and either returns the result of all operations or throws a ScimError
 * (`invalidSyntax`, `invalidPath`, `noTarget`, `mutability`, `invalidValue`, `invalidFilter`)
 * leaving the input untouched. For Groups, `members` is not read from the resource: member
 * operations come back as `memberDelta` so groups of 100,000 members never load (docs/design.md, pattern 5).
 */
export function applyPatch(resource: Json, body: unknown, ctx: PatchContext): PatchResult {
  const operations = parsePatchBody(body);
  const engine = new PatchEngine(cloneJson(resource), ctx);
  operations.forEach((op) => engine.apply(op));
  engine.finish(resource);
  const memberDelta = engine.members.build();
  const working = engine.working;
  let changed: boolean | undefined;
  return {
    resource: working,
    ...(memberDelta ? { memberDelta } : {}),
    // Computed when asked: the use cases compare before and after themselves (changedAttributes).
    get changed() {
      return (changed ??= memberDelta !== undefined || !isDeepStrictEqual(resource, working));
    },
  };
}

/**
 * A deep copy of a JSON tree (what resources are): objects and arrays copied, primitives shared,
 * anything else (a Set, bytes) left to structuredClone. Several times faster than structuredClone
 * on a whole resource, which every PATCH copies.
 */
function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = cloneJson((value as Record<string, unknown>)[key]);
    // A JSON `__proto__` key is data: assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}

function fail(scimType: ScimErrorType, detail: string): ScimError {
  return ScimError.badRequest(scimType, detail);
}

class PatchEngine {
  readonly members = new MemberDeltaBuilder();
  readonly doc: WorkingResource;
  constructor(
    working: Json,
    private readonly ctx: PatchContext,
  ) {
    this.doc = new WorkingResource(working);
  }

  /** The patched copy. */
  get working(): Json {
    return this.doc.json;
  }

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
    let filter: PatchTarget['filter'];
    if (path.filter) {
      if (def.type !== 'complex') throw fail('invalidPath', `"${def.name}" is not complex and takes no filter (in "${text}")`);
      try {
        filter = compileValueFilter(path.filter, def, this.ctx);
      } catch (e) {
        throw isScimError(e) ? fail('invalidPath', `${e.detail} (in "${text}")`) : e;
      }
    }
    const target: PatchTarget = { text, def, ...(found.extension ? { extension: found.extension } : {}), ...(sub ? { sub } : {}), ...(path.filter ? { filterNode: path.filter, filter } : {}) };

    if (this.ctx.resourceType === 'Group' && !found.extension && def.name === 'members') {
      memberOperation(this.members, kind, target, value);
      return;
    }
    if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
      this.readOnly(kind, target, value);
      return;
    }
    if (kind === 'remove') removeValue(this.doc, target, value);
    else setValue(this.doc, kind, target, value);
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
  private readOnly(kind: PatchOperation['op'], t: PatchTarget, value: unknown): void {
    const name = `${t.def.name}${t.sub ? `.${t.sub.name}` : ''}`;
    if (kind !== 'remove' && !t.filter && sameAsCurrent(this.doc.readTarget(t), value)) return;
    throw fail('mutability', `"${name}" is readOnly and cannot be changed (${kind} of "${t.text}")`);
  }

  /** Whole-request checks: immutable attributes unchanged once set, required ones kept, empty extensions dropped. */
  finish(original: Json): void {
    for (const { extension, defs } of checkedScopes(this.ctx.registry.forType(this.ctx.resourceType))) {
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

/** Per schema of a resource type, the attributes finish() checks: immutable or required ones. */
type CheckedScopes = readonly { readonly extension?: SchemaDefinition; readonly defs: readonly AttributeDefinition[] }[];

/** Built once per resource type: a PATCH checks a handful of attributes, not every declared one. */
const checkedScopesByType = new WeakMap<ResourceTypeSchemas, CheckedScopes>();

function checkedScopes(types: ResourceTypeSchemas): CheckedScopes {
  let scopes = checkedScopesByType.get(types);
  if (!scopes) {
    const checked = (defs: readonly AttributeDefinition[]) => defs.filter((d) => d.mutability === 'immutable' || d.required);
    scopes = [{ defs: checked([...types.core.attributes, ...COMMON_ATTRIBUTES]) }, ...types.extensions.map((extension) => ({ extension, defs: checked(extension.attributes) }))];
    checkedScopesByType.set(types, scopes);
  }
  return scopes;
}
