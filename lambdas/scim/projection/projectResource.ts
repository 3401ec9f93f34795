import { canonicalOrder } from './canonicalOrder';
import {
  COMMON_ATTRIBUTES,
  attributeByLowerName,
  findAttribute,
  isUrnKey,
  resolveSchemaKey,
  subAttribute,
  type AttributeDefinition,
  type ResourceTypeSchemas,
  type SchemaDefinition,
  type SchemaRegistry,
} from '../schema';

/** The `attributes`/`excludedAttributes` of a request (already split, see parseAttributeList) and the schemas they refer to. */
export interface ProjectionOptions {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
  readonly registry: SchemaRegistry;
  readonly resourceType: 'User' | 'Group';
}

/** A named attribute: the whole attribute (`subs` undefined) or some of its sub-attributes. */
type Selection = Map<SchemaDefinition, Map<string, Set<string> | 'all'>>;

interface CompiledProjection {
  readonly types: ResourceTypeSchemas;
  /** Undefined when no `attributes` were given (default set). */
  readonly include?: { readonly attrs: Selection; readonly wholeSchemas: Set<SchemaDefinition> };
  readonly exclude: { readonly attrs: Selection; readonly wholeSchemas: Set<SchemaDefinition> };
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) with the `returned` rules of
 * RFC 7643 §7: `always` (id, schemas, meta) always come back, `never` (password) never does,
 * `request` only when named in `attributes`, `default` unless excluded. Names are case-insensitive
 * and may be sub-attributes (`name.givenName`, `emails.value`), URN-qualified
 * (`urn:…:enterprise:2.0:User:department`) or a bare extension URN (the whole extension).
 * Names the schemas do not know are ignored. `schemas` lists the core and the extensions left;
 * stored data of an extension the schemas no longer declare is left out.
 */
export function projectResource(resource: Record<string, unknown>, options: ProjectionOptions): Record<string, unknown> {
  const p = compile(options);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    const urnKey = mayBeUrnKey(key) && isUrnKey(key);
    const resolved = urnKey ? resolveSchemaKey(p.types, key) : undefined;
    // Data of an extension the tenant no longer declares (kept in the item, see
    // setAsideUndeclaredExtensions): no schema says what of it may be returned, so none is.
    if (urnKey && !resolved) continue;
    if (resolved?.extension && resolved.rest === '') {
      if (!isObject(value)) continue;
      const ext: Record<string, unknown> = {};
      for (const name of Object.keys(value)) {
        const def = findAttribute(resolved.schema.attributes, name);
        const projected = def ? projectAttribute(p, resolved.schema, def, value[name]) : undefined;
        if (projected !== undefined) ext[def!.name] = projected;
      }
      if (Object.keys(ext).length > 0) out[key] = ext;
      continue;
    }
    const def = attributeByLowerName(p.types.core.attributes, lower) ?? attributeByLowerName(COMMON_ATTRIBUTES, lower);
    if (def) {
      const projected = projectAttribute(p, p.types.core, def, value);
      if (projected !== undefined) out[key] = projected;
    } else if (!p.include) {
      // Not in the schema (nothing we store should be): returned by default, never when a list was asked for.
      out[key] = value;
    }
  }
  const schemas = resource.schemas ?? Object.entries(resource).find(([k]) => k.toLowerCase() === 'schemas')?.[1];
  if (Array.isArray(schemas)) {
    const core = p.types.core.id.toLowerCase();
    const kept = schemas.filter((urn) => typeof urn === 'string' && (urn.toLowerCase() === core || Object.keys(out).some((k) => k.toLowerCase() === urn.toLowerCase())));
    return canonicalOrder({ schemas: kept, ...out }, p.types);
  }
  return canonicalOrder(out, p.types);
}

/** A cheap first test before isUrnKey's regexes: URN keys start with `urn:` or `http(s)://`, any case. */
function mayBeUrnKey(key: string): boolean {
  const c = key.charCodeAt(0) | 0x20;
  return c === 0x75 /* u */ || c === 0x68 /* h */;
}

/**
 * True when a resource projected with these options would carry any part of `path` (e.g. a Group
 * handler asks `requestsAttribute(options, 'members')` to skip loading memberships).
 */
export function requestsAttribute(options: ProjectionOptions, path: string): boolean {
  const p = compile(options);
  const target = resolvePath(p.types, path);
  if (!target) return !p.include;
  const { schema, def } = target;
  if (!def) {
    return p.include
      ? p.include.wholeSchemas.has(schema) || p.include.attrs.has(schema)
      : !p.exclude.wholeSchemas.has(schema);
  }
  if (def.returned === 'never') return false;
  if (def.returned === 'always') return true;
  if (p.include && !p.include.attrs.get(schema)?.has(def.name) && !(p.include.wholeSchemas.has(schema) && def.returned !== 'request')) return false;
  if (!p.include && def.returned === 'request') return false;
  return !(p.exclude.wholeSchemas.has(schema) || p.exclude.attrs.get(schema)?.get(def.name) === 'all');
}

function projectAttribute(p: CompiledProjection, schema: SchemaDefinition, def: AttributeDefinition, value: unknown): unknown {
  if (def.returned === 'never') return undefined;
  if (def.returned === 'always') return mapSubs(def, value, ALWAYS);
  let named: Set<string> | 'all' | undefined;
  if (p.include) {
    named = p.include.attrs.get(schema)?.get(def.name);
    if (named === undefined) {
      if (!p.include.wholeSchemas.has(schema) || def.returned === 'request') return undefined;
      named = 'all';
    }
  } else if (def.returned === 'request') {
    return undefined;
  }
  if (p.exclude.wholeSchemas.has(schema)) return undefined;
  const excluded = p.exclude.attrs.get(schema)?.get(def.name);
  if (excluded === 'all') return undefined;
  return mapSubs(def, value, { excluded, named: named instanceof Set ? named : undefined });
}

/**
 * Which sub-attributes of a value are kept: never `never`, always `always`; of the others, none
 * `excluded` names, only those `named` names when given, else all but `request` ones.
 */
interface SubSelection {
  readonly always?: true;
  readonly excluded?: Set<string>;
  readonly named?: Set<string>;
}

const ALWAYS: SubSelection = { always: true };

function keepSub(sub: AttributeDefinition, selection: SubSelection): boolean {
  if (sub.returned === 'never') return false;
  if (sub.returned === 'always' || selection.always) return true;
  if (selection.excluded?.has(sub.name)) return false;
  if (selection.named) return selection.named.has(sub.name);
  return sub.returned !== 'request';
}

/**
 * Sub-attribute lists with nothing a default projection leaves out (no `never`, no `request`):
 * their values come back whole, without a copy.
 */
const plainSubs = new WeakMap<readonly AttributeDefinition[], boolean>();

function allReturnedByDefault(subs: readonly AttributeDefinition[]): boolean {
  let plain = plainSubs.get(subs);
  if (plain === undefined) plainSubs.set(subs, (plain = subs.every((s) => s.returned === 'default' || s.returned === 'always')));
  return plain;
}

/** Keeps the sub-attributes `selection` accepts in a complex value (or each element of a multi-valued one). */
function mapSubs(def: AttributeDefinition, value: unknown, selection: SubSelection): unknown {
  if (def.type !== 'complex' || !def.subAttributes) return value;
  // Nothing to drop (the usual case: no list, no exclusion, no never/request sub-attribute): only
  // empty values go, as below.
  const whole = !selection.excluded && !selection.named && (selection.always || allReturnedByDefault(def.subAttributes));
  if (Array.isArray(value)) {
    if (whole && value.every((v) => !isObject(v) || hasKeys(v))) return value.length > 0 ? value : undefined;
    const values: unknown[] = [];
    for (const v of value) {
      const kept = keepSubs(def, v, selection, whole);
      if (kept !== undefined) values.push(kept);
    }
    return values.length > 0 ? values : undefined;
  }
  return keepSubs(def, value, selection, whole);
}

/** One complex value with the selected sub-attributes; undefined when none is left. */
function keepSubs(def: AttributeDefinition, v: unknown, selection: SubSelection, whole: boolean): unknown {
  if (!isObject(v)) return v;
  if (whole) return hasKeys(v) ? v : undefined;
  const out: Record<string, unknown> = {};
  let kept = false;
  for (const k of Object.keys(v)) {
    const sub = findAttribute(def.subAttributes!, k);
    if (!sub || keepSub(sub, selection)) {
      out[k] = v[k];
      kept = true;
    }
  }
  return kept ? out : undefined;
}

function hasKeys(v: Record<string, unknown>): boolean {
  for (const _ in v) return true;
  return false;
}

/**
 * Compiled projections, by options object (a page's resources share one, and requestsAttribute
 * asks with the same) and, for the default projection, by resource type.
 */
const compiledByOptions = new WeakMap<ProjectionOptions, CompiledProjection>();
const defaultsByType = new WeakMap<ResourceTypeSchemas, CompiledProjection>();

function compile(options: ProjectionOptions): CompiledProjection {
  let compiled = compiledByOptions.get(options);
  if (!compiled) {
    const types = options.registry.forType(options.resourceType);
    if (!options.attributes?.length && !options.excludedAttributes?.length) {
      compiled = defaultsByType.get(types);
      if (!compiled) defaultsByType.set(types, (compiled = compileFor(types, options)));
    } else {
      compiled = compileFor(types, options);
    }
    compiledByOptions.set(options, compiled);
  }
  return compiled;
}

function compileFor(types: ResourceTypeSchemas, options: ProjectionOptions): CompiledProjection {
  const select = (paths: readonly string[]) => {
    const attrs: Selection = new Map();
    const wholeSchemas = new Set<SchemaDefinition>();
    for (const path of paths) {
      const target = resolvePath(types, path);
      if (!target) continue;
      if (!target.def) {
        wholeSchemas.add(target.schema);
        continue;
      }
      let bySchema = attrs.get(target.schema);
      if (!bySchema) attrs.set(target.schema, (bySchema = new Map()));
      const current = bySchema.get(target.def.name);
      if (!target.sub) bySchema.set(target.def.name, 'all');
      else if (current !== 'all') bySchema.set(target.def.name, new Set([...(current ?? []), target.sub.name]));
    }
    return { attrs, wholeSchemas };
  };
  return {
    types,
    ...(options.attributes && options.attributes.length > 0 ? { include: select(options.attributes) } : {}),
    exclude: select(options.excludedAttributes ?? []),
  };
}

interface ResolvedPath {
  readonly schema: SchemaDefinition;
  /** Undefined for a bare extension URN (the whole extension). */
  readonly def?: AttributeDefinition;
  readonly sub?: AttributeDefinition;
}

/** Resolves `attr`, `attr.sub`, `urn:…:attr[.sub]` or a bare extension URN; undefined when unknown. */
function resolvePath(types: ResourceTypeSchemas, path: string): ResolvedPath | undefined {
  let schema = types.core;
  let rest = path;
  if (isUrnKey(path)) {
    const resolved = resolveSchemaKey(types, path);
    if (!resolved) return undefined;
    schema = resolved.schema;
    rest = resolved.rest;
    if (rest === '') return resolved.extension ? { schema } : undefined;
  }
  const parts = rest.split('.');
  if (parts.length > 2) return undefined;
  const def = schema === types.core ? topLevel(schema, parts[0]) : findAttribute(schema.attributes, parts[0]);
  if (!def) return undefined;
  if (parts.length === 1) return { schema, def };
  const sub = subAttribute(def, parts[1]);
  return sub ? { schema, def, sub } : undefined;
}

function topLevel(core: SchemaDefinition, name: string): AttributeDefinition | undefined {
  return findAttribute(core.attributes, name) ?? findAttribute(COMMON_ATTRIBUTES, name);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
