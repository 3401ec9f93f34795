import { attribute, subAttribute, type AttributeDefinition, type SchemaDefinition, type SchemaRegistry } from '../schema';
import type { AttrPath } from '../filter/ast';

/** An attribute found for a path, with the extension URN it lives under (undefined for core and common). */
export interface ResolvedAttribute {
  readonly def: AttributeDefinition;
  readonly extension?: SchemaDefinition;
}

// RFC 7643 §3: `schemas` is on every resource but in no schema; RFC 7644 §3.4.2.2 filters on it.
const SCHEMAS_ATTRIBUTE = attribute('schemas', { multiValued: true, mutability: 'readOnly', returned: 'always', caseExact: false });

/**
 * Finds the top-level attribute a path names (RFC 7644 §3.10: `urn:...:attr` or plain `attr`),
 * case-insensitively. A plain name not in the core schema is looked up in the extensions when
 * exactly one declares it (clients omit the URN of extension attributes).
 */
export function resolveAttribute(
  registry: SchemaRegistry,
  resourceType: string,
  path: Pick<AttrPath, 'uri' | 'attr'>,
): ResolvedAttribute | undefined {
  const types = registry.forType(resourceType);
  if (path.uri !== undefined) {
    const uri = path.uri.toLowerCase();
    if (uri === types.core.id.toLowerCase()) return core(registry, resourceType, path.attr);
    const extension = types.extensions.find((e) => e.id.toLowerCase() === uri);
    if (!extension) return undefined;
    const def = registry.attribute(resourceType, path.attr, extension.id);
    return def ? { def, extension } : undefined;
  }
  const found = core(registry, resourceType, path.attr);
  if (found) return found;
  const hits = types.extensions
    .map((extension) => ({ extension, def: extension.attributes.find((a) => a.name.toLowerCase() === path.attr.toLowerCase()) }))
    .filter((h): h is { extension: SchemaDefinition; def: AttributeDefinition } => h.def !== undefined);
  return hits.length === 1 ? hits[0] : undefined;
}

function core(registry: SchemaRegistry, resourceType: string, name: string): ResolvedAttribute | undefined {
  if (name.toLowerCase() === 'schemas') return { def: SCHEMAS_ATTRIBUTE };
  const def = registry.attribute(resourceType, name);
  return def ? { def } : undefined;
}

/** The extension schema a path names as a whole (`urn:...:enterprise:2.0:User`), if any. */
export function resolveExtension(registry: SchemaRegistry, resourceType: string, path: AttrPath): SchemaDefinition | undefined {
  if (path.uri === undefined || path.sub !== undefined) return undefined;
  const urn = `${path.uri}:${path.attr}`.toLowerCase();
  return registry.forType(resourceType).extensions.find((e) => e.id.toLowerCase() === urn);
}

/** The sub-attribute of a complex attribute, case-insensitively. */
export function resolveSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return subAttribute(parent, name);
}

/** The key of `obj` that equals `name` case-insensitively (RFC 7643 §2.1), preferring an exact match. */
export function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** `obj[name]` with the name matched case-insensitively. */
export function getIgnoringCase(obj: Record<string, unknown>, name: string): unknown {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
