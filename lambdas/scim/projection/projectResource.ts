import { canonicalOrder } from './canonicalOrder';
import {
  COMMON_ATTRIBUTES,
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
 * Names the schemas do not know are ignored. `schemas` lists the core and the extensions left.
 */
export function projectResource(resource: Record<string, unknown>, options: ProjectionOptions): Record<string, unknown> {
  const p = compile(options);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === 'schemas') continue;
    const resolved = isUrnKey(key) ? resolveSchemaKey(p.types, key) : undefined;
    if (resolved?.extension && resolved.rest === '') {
      if (!isObject(value)) continue;
      const ext: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value)) {
        const def = findAttribute(resolved.schema.attributes, name);
        const projected = def ? projectAttribute(p, resolved.schema, def, v) : undefined;
        if (projected !== undefined) ext[def!.name] = projected;
      }
      if (Object.keys(ext).length > 0) out[key] = ext;
      continue;
    }
    const def = topLevel(p.types.core, key);
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
    const kept = schemas.filter((urn) => typeof urn === 'string' && (urn.toLowerCase() === p.types.core.id.toLowerCase() || Object.keys(out).some((k) => k.toLowerCase() === urn.toLowerCase())));
    return canonicalOrder({ schemas: kept, ...out }, p.types);
  }
  return canonicalOrder(out, p.types);
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
  if (def.returned === 'always') return mapSubs(def, value, (sub) => sub.returned !== 'never');
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
  return mapSubs(def, value, (sub) => {
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    if (excluded?.has(sub.name)) return false;
    if (named instanceof Set) return named.has(sub.name);
    return sub.returned !== 'request';
  });
}

/** Keeps the sub-attributes `keep` accepts in a complex value (or each element of a multi-valued one). */
function mapSubs(def: AttributeDefinition, value: unknown, keep: (sub: AttributeDefinition) => boolean): unknown {
  if (def.type !== 'complex' || !def.subAttributes) return value;
  const one = (v: unknown): unknown => {
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const sub = subAttribute(def, k);
      if (!sub || keep(sub)) out[k] = x;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  if (Array.isArray(value)) {
    const values = value.map(one).filter((v) => v !== undefined);
    return values.length > 0 ? values : undefined;
  }
  return one(value);
}

function compile(options: ProjectionOptions): CompiledProjection {
  const types = options.registry.forType(options.resourceType);
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

function findAttribute(defs: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return defs.find((a) => a.name.toLowerCase() === lower);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
