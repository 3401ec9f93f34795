import { ScimError } from '../errors';
import {
  COMMON_ATTRIBUTES,
  attributeByLowerName,
  URN,
  isUrnKey,
  resolveSchemaKey,
  subAttribute,
  type AttributeDefinition,
  type SchemaDefinition,
  type SchemaRegistry,
} from '../schema';
import { checkUniqueName } from '../names';
import { bareValueAsComplex, checkImmutable, checkRequired } from './attributeRules';
import { parseValue } from './valueSchema';
import { VALIDATION_LIMITS, type ValidationLimits } from './validationLimits';

/** What {@link validateResource} needs to know besides the body. */
export interface ValidateContext {
  readonly registry: SchemaRegistry;
  readonly resourceType: 'User' | 'Group';
  /** `create` for POST, `replace` for PUT (RFC 7644 §3.5.1). */
  readonly mode: 'create' | 'replace';
  /** The stored resource a PUT replaces: `immutable` attributes are checked against it. */
  readonly existing?: Record<string, unknown>;
  /** Unknown attributes (and attributes of undeclared extensions): 400 invalidSyntax, or dropped. */
  readonly unknownAttributes: 'reject' | 'ignore';
  /** Overrides of {@link VALIDATION_LIMITS}. */
  readonly limits?: Partial<ValidationLimits>;
}

const encoder = new TextEncoder();

/**
 * Validates a POST or PUT body against the resource type's schemas and returns its canonical stored
 * form: attribute names in the schema's case, in schema order; extension attributes under their
 * canonical URN; `schemas` = core URN + the extensions present; read-only attributes dropped;
 * `null` and empty arrays/objects dropped (RFC 7643 §2.5: unassigned). `password` is kept (the
 * caller hashes it). Throws ScimError 400 with `invalidSyntax`, `invalidValue` or `mutability`.
 *
 * Deliberate choices:
 * - A body without `schemas`, or whose `schemas` omits the core URN, is accepted: the endpoint
 *   already names the resource type, Entra and Okta always send it, and failing a sync over a
 *   redundant field helps nobody. A `schemas` naming the *other* core type (a Group body posted to
 *   /Users) is a misdirected request and answers 400 invalidSyntax.
 * - `canonicalValues` are not enforced (RFC 7643 §7 lets providers accept other values; Entra sends
 *   `type: "fax"`, Okta sends custom types): the values are stored as sent.
 * - Read-only sub-attributes (`members.display`, `manager.displayName`) are kept when well-formed
 *   (Okta sends `members: [{value, display}]`); the store may overwrite them with computed values.
 */
export function validateResource(input: unknown, ctx: ValidateContext): Record<string, unknown> {
  if (!isObject(input)) throw invalidSyntax('The request body must be a JSON object');
  return new ResourceValidator(ctx).run(input);
}

class ResourceValidator {
  private readonly limits: ValidationLimits;
  private readonly unknown: string[] = [];

  constructor(private readonly ctx: ValidateContext) {
    this.limits = { ...VALIDATION_LIMITS, ...ctx.limits };
  }

  run(input: Record<string, unknown>): Record<string, unknown> {
    const types = this.ctx.registry.forType(this.ctx.resourceType);
    // Raw values by schema, keyed by canonical attribute name.
    const buckets = new Map<SchemaDefinition, Map<string, { def: AttributeDefinition; raw: unknown; key: string }>>();
    for (const schema of [types.core, ...types.extensions]) buckets.set(schema, new Map());
    let schemasRaw: unknown;

    const put = (schema: SchemaDefinition, name: string, raw: unknown, path: string): void => {
      const def = this.topLevel(schema, schema === types.core, name);
      if (!def) {
        if (raw !== null) this.unknown.push(path);
        return;
      }
      const bucket = buckets.get(schema)!;
      const seen = bucket.get(def.name);
      if (seen) throw invalidSyntax(`Attribute '${def.name}' is given twice ('${seen.key}' and '${path}')`);
      bucket.set(def.name, { def, raw, key: path });
    };

    for (const [key, raw] of Object.entries(input)) {
      if (key.toLowerCase() === 'schemas') {
        schemasRaw = raw;
        continue;
      }
      if (isUrnKey(key)) {
        const resolved = resolveSchemaKey(types, key);
        if (!resolved) {
          // RFC 7643 §3: attributes of an extension must be declared; an unknown URN key without
          // attributes (null, {}) is harmless.
          if (raw !== null && !(isObject(raw) && Object.keys(raw).length === 0)) this.unknown.push(key);
          continue;
        }
        if (resolved.rest === '') {
          // The extension object, or (rarely) the core URN as a key wrapping core attributes.
          if (raw === null) continue;
          if (!isObject(raw)) throw invalidSyntax(`'${resolved.schema.id}' must be an object holding the attributes of that schema`);
          for (const [name, value] of Object.entries(raw)) put(resolved.schema, name, value, `${resolved.schema.id}:${name}`);
        } else {
          // URN-qualified attribute at the top level (`urn:…:enterprise:2.0:User:department`).
          put(resolved.schema, resolved.rest, raw, key);
        }
        continue;
      }
      put(types.core, key, raw, key);
    }

    if (this.unknown.length > 0 && this.ctx.unknownAttributes === 'reject') {
      throw invalidSyntax(`Unknown attribute${this.unknown.length > 1 ? 's' : ''} ${this.unknown.map((n) => `'${n}'`).join(', ')} for ${this.ctx.resourceType}`);
    }
    this.checkSchemas(schemasRaw, types.core);

    const output: Record<string, unknown> = { schemas: [types.core.id] };
    const requiredExtensions = new Set(
      types.resourceType.schemaExtensions.filter((e) => e.required).map((e) => e.schema.toLowerCase()),
    );
    for (const schema of [types.core, ...types.extensions]) {
      const isCore = schema === types.core;
      const bucket = buckets.get(schema)!;
      const defs = isCore ? [...COMMON_ATTRIBUTES, ...schema.attributes] : schema.attributes;
      const existing = isCore ? this.ctx.existing : objectOrUndefined(this.ctx.existing?.[schema.id]);
      const target: Record<string, unknown> = {};
      for (const def of defs) {
        const path = isCore ? def.name : `${schema.id}:${def.name}`;
        const entry = bucket.get(def.name);
        let value = entry && def.mutability !== 'readOnly' ? this.attributeValue(def, entry.raw, path) : undefined;
        value = this.checkUnique(def, value, existing?.[def.name], path);
        value = this.checkImmutable(def, value, existing?.[def.name], path);
        if (value !== undefined) target[def.name] = value;
      }
      const present = Object.keys(target).length > 0;
      const required = requiredExtensions.has(schema.id.toLowerCase());
      if (!isCore && !present && required) {
        throw invalidValue(`The ${this.ctx.resourceType} extension '${schema.id}' is required`);
      }
      if (isCore || present || required) {
        for (const def of defs) checkRequired(def, target[def.name], isCore ? def.name : `${schema.id}:${def.name}`);
      }
      if (isCore) Object.assign(output, target);
      else if (present) {
        output[schema.id] = target;
        (output.schemas as string[]).push(schema.id);
      }
    }
    this.checkSize(output);
    return output;
  }

  /** A top-level attribute of a schema, by name in any case; common attributes count as core. */
  private topLevel(schema: SchemaDefinition, isCore: boolean, name: string): AttributeDefinition | undefined {
    const lower = name.toLowerCase();
    const found = attributeByLowerName(schema.attributes, lower);
    if (found || !isCore) return found;
    return attributeByLowerName(COMMON_ATTRIBUTES, lower);
  }

  private checkSchemas(raw: unknown, core: SchemaDefinition): void {
    if (raw === undefined || raw === null) return;
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list) || list.some((u) => typeof u !== 'string')) {
      throw invalidSyntax("'schemas' must be an array of schema URNs");
    }
    const lower = (list as string[]).map((u) => u.toLowerCase());
    const other = core.id === URN.user ? URN.group : URN.user;
    if (lower.includes(other.toLowerCase()) && !lower.includes(core.id.toLowerCase())) {
      throw invalidSyntax(`'schemas' names ${other}, but this endpoint takes ${core.id} resources`);
    }
  }

  /** Validates one attribute's value (single or multi-valued); undefined when unassigned. */
  private attributeValue(def: AttributeDefinition, raw: unknown, path: string): unknown {
    if (raw === null || raw === undefined) return undefined;
    if (!def.multiValued) {
      // A one-element array for a singular attribute: some clients wrap everything.
      if (Array.isArray(raw)) {
        if (raw.length === 0) return undefined;
        if (raw.length > 1) throw invalidValue(`Attribute '${path}' is single-valued but got ${raw.length} values`);
        return this.singleValue(def, raw[0], path);
      }
      return this.singleValue(def, raw, path);
    }
    // A single object where an array is expected (`"emails": {"value": …}`) is wrapped.
    const list = Array.isArray(raw) ? raw : [raw];
    const max = def.name === 'members' ? this.limits.maxMembers : this.limits.maxMultiValues;
    if (list.length > max) throw invalidValue(`Attribute '${path}' has ${list.length} values; at most ${max} are accepted`);
    const values: unknown[] = [];
    list.forEach((item, i) => {
      const v = this.singleValue(def, item, `${path}[${i}]`);
      if (v !== undefined) values.push(v);
    });
    if (def.type === 'complex') {
      const primaries = values.filter((v) => (v as Record<string, unknown>).primary === true).length;
      // RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once.
      if (primaries > 1) throw invalidValue(`Attribute '${path}' has ${primaries} values with primary true; at most one is allowed`);
    }
    return values.length > 0 ? values : undefined;
  }

  private singleValue(def: AttributeDefinition, raw: unknown, path: string): unknown {
    if (raw === null || raw === undefined) return undefined;
    if (def.type !== 'complex') return this.simpleValue(def, raw, path, false);
    // Entra sends the enterprise `manager` as a bare id string; any complex attribute with a
    // `value` sub-attribute takes a bare value as `{value}`.
    const obj = isObject(raw) ? raw : bareValueAsComplex(def, raw);
    if (!obj) throw invalidValue(`Attribute '${path}' must be a complex object`);
    const byName = new Map<string, { sub: AttributeDefinition; raw: unknown }>();
    for (const [key, value] of Object.entries(obj)) {
      const sub = subAttribute(def, key);
      if (!sub) {
        if (value === null) continue;
        if (this.ctx.unknownAttributes === 'reject') throw invalidSyntax(`Unknown attribute '${path}.${key}'`);
        continue;
      }
      if (byName.has(sub.name)) throw invalidSyntax(`Attribute '${path}.${sub.name}' is given twice`);
      byName.set(sub.name, { sub, raw: value });
    }
    const out: Record<string, unknown> = {};
    for (const sub of def.subAttributes ?? []) {
      const entry = byName.get(sub.name);
      const subPath = `${path}.${sub.name}`;
      if (entry && entry.raw !== null && entry.raw !== undefined) {
        const v = sub.mutability === 'readOnly'
          ? this.simpleValue(sub, entry.raw, subPath, true) // RFC 7643 §7: never fail on read-only input
          : this.simpleValue(sub, entry.raw, subPath, false);
        if (v !== undefined) out[sub.name] = v;
      }
    }
    if (Object.keys(out).length === 0) return undefined;
    for (const sub of def.subAttributes ?? []) checkRequired(sub, out[sub.name], `${path}.${sub.name}`);
    return out;
  }

  private simpleValue(def: AttributeDefinition, raw: unknown, path: string, lenient: boolean): unknown {
    if (def.type === 'complex') {
      // Sub-attributes are one level deep (RFC 7643 §2.3.8); a complex sub-attribute is a schema error.
      throw invalidValue(`Attribute '${path}' cannot be validated (complex sub-attribute)`);
    }
    if (def.multiValued && Array.isArray(raw)) {
      const values = raw.map((v, i) => this.simpleValue({ ...def, multiValued: false }, v, `${path}[${i}]`, lenient)).filter((v) => v !== undefined);
      return values.length > 0 ? values : undefined;
    }
    const parsed = parseValue(def, raw, this.limits, { keyLike: isKeyLike(def, path), nonEmpty: def.required });
    if ('value' in parsed) return parsed.value;
    if (lenient) return undefined;
    throw invalidValue(`Attribute '${path}' ${parsed.problem}`);
  }

  /**
   * A unique attribute's value (`userName`, Group `displayName`, a custom `uniqueness: "server"`
   * string) is trimmed, and refused when it holds control or invisible format characters: they let
   * two accounts look like one (see checkUniqueName). A value already stored unchanged is let
   * through, so a name stored before this rule does not block every later PATCH of the resource.
   */
  private checkUnique(def: AttributeDefinition, value: unknown, existing: unknown, path: string): unknown {
    if (def.uniqueness === 'none' || typeof value !== 'string') return value;
    if (this.ctx.mode === 'replace' && value === existing) return value;
    return checkUniqueName(value, path);
  }

  /**
   * RFC 7644 §3.5.1: an immutable attribute that has a value keeps it; a PUT may repeat it, not change it.
   * Checked for top-level attributes and sub-attributes of singular complex ones. Immutable
   * sub-attributes of multi-valued attributes (`members.value`) belong to each value, and a PUT
   * may replace the values (Okta's PUT /Groups): there is no "same value" to compare against.
   */
  private checkImmutable(def: AttributeDefinition, value: unknown, existing: unknown, path: string): unknown {
    if (this.ctx.mode !== 'replace' || existing === undefined || existing === null) return value;
    if (def.mutability === 'immutable') {
      // RFC 7644 §3.5.1: a PUT that leaves an immutable attribute out keeps its value.
      if (value === undefined) return existing;
      checkImmutable(def, existing, value, path);
      return value;
    }
    if (def.type === 'complex' && !def.multiValued && isObject(existing)) {
      const immutables = (def.subAttributes ?? []).filter((s) => s.mutability === 'immutable');
      if (immutables.length === 0) return value;
      const next: Record<string, unknown> = { ...(objectOrUndefined(value) ?? {}) };
      for (const sub of immutables) {
        const v = this.checkImmutable(sub, next[sub.name], existing[sub.name], `${path}.${sub.name}`);
        if (v !== undefined) next[sub.name] = v;
      }
      return Object.keys(next).length > 0 ? next : undefined;
    }
    return value;
  }

  private checkSize(output: Record<string, unknown>): void {
    const { members: _members, ...rest } = output;
    const text = JSON.stringify(rest);
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no encoding to be known to fit.
    if (text.length * 3 <= this.limits.maxResourceBytes) return;
    const bytes = encoder.encode(text).length;
    if (bytes > this.limits.maxResourceBytes) {
      throw invalidValue(`The ${this.ctx.resourceType} is ${bytes} bytes; at most ${this.limits.maxResourceBytes} are accepted`);
    }
  }
}

/** Values that end up in DynamoDB keys: unique or looked-up attributes and multi-valued `value`s. */
function isKeyLike(def: AttributeDefinition, path: string): boolean {
  if (def.type === 'binary') return false;
  if (def.uniqueness !== 'none' || def.name === 'externalId') return true;
  return def.name === 'value' && /\[\d+\]\.value$/.test(path);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectOrUndefined(v: unknown): Record<string, unknown> | undefined {
  return isObject(v) ? v : undefined;
}

function invalidSyntax(detail: string): ScimError {
  return new ScimError(400, 'invalidSyntax', detail);
}

function invalidValue(detail: string): ScimError {
  return new ScimError(400, 'invalidValue', detail);
}
