import type { SortKey } from './compareSortValues';
import { ScimError } from './errors';
import type { ResourceTypeName } from './filter/planFilter';
import { parsePath } from './path/parsePath';
import { getIgnoringCase, isObject, resolveAttribute } from './path/resolveAttribute';
import { subAttribute, type AttributeDefinition, type SchemaRegistry } from './schema';

/** A `sortBy` attribute resolved against the schemas: where its value lives and how it compares. */
export interface SortTarget {
  /** Extension URN key, for extension attributes. */
  readonly container?: string;
  /** Top-level attribute name, in the schema's case. */
  readonly attr: string;
  /** Sub-attribute name, in the schema's case. */
  readonly sub?: string;
  /** The attribute whose values are compared (the sub-attribute when there is one). */
  readonly def: AttributeDefinition;
  /** Canonical dotted name (`meta.lastModified`, `name.familyName`, `urn:...:department`). */
  readonly name: string;
}

/** Resolves `sortBy` (RFC 7644 §3.4.2.3) or throws 400 invalidValue naming it. */
export function resolveSortBy(registry: SchemaRegistry, resourceType: ResourceTypeName, sortBy: string): SortTarget {
  const unknown = () => ScimError.badRequest('invalidValue', `sortBy names an unknown attribute: ${sortBy.slice(0, 100)}`, 'unknownSortAttribute');
  let path: ReturnType<typeof parsePath>;
  try {
    path = parsePath(sortBy);
  } catch {
    throw unknown();
  }
  const resolved = resolveAttribute(registry, resourceType, path);
  if (!resolved || path.filter) throw unknown();
  let def = resolved.def;
  let sub: string | undefined;
  if (path.sub !== undefined) {
    const found = def.type === 'complex' ? subAttribute(def, path.sub) : undefined;
    if (!found) throw unknown();
    def = found;
    sub = found.name;
  } else if (def.type === 'complex') {
    // RFC 7644 §3.4.2.2's implicit `value` of a complex attribute (emails, manager).
    const value = subAttribute(def, 'value');
    if (!value) throw ScimError.badRequest('invalidValue', `sortBy ${resolved.def.name} is complex: sort by one of its sub-attributes`);
    def = value;
  }
  const top = resolved.def.name;
  const prefix = resolved.extension ? `${resolved.extension.id}:` : '';
  return { container: resolved.extension?.id, attr: top, sub, def, name: `${prefix}${top}${sub ? `.${sub}` : ''}` };
}

/** Multi-valued attributes sort by their primary value, or else the first (RFC 7644 §3.4.2.3). */
function primaryOf(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.find((e) => isObject(e) && (e.primary === true || e.primary === 'true' || e.primary === 'True')) ?? v[0];
}

/**
 * The value `resource` (SCIM wire shape) sorts by: strings of attributes that are not caseExact
 * lowercased (RFC 7643 §2.3.1; RFC 7644 §3.4.2.3 "sorting SHALL be case-insensitive" for them),
 * caseExact ones (`id`, `externalId`) as they are; dateTimes as instants; numbers and booleans as
 * such. `undefined` when the resource has no value (it then sorts last ascending, first descending).
 */
export function sortKeyOf(resource: Record<string, unknown>, target: SortTarget): SortKey {
  const base = target.container ? getIgnoringCase(resource, target.container) : resource;
  if (!isObject(base)) return undefined;
  let v = primaryOf(getIgnoringCase(base, target.attr));
  if (isObject(v)) v = getIgnoringCase(v, target.sub ?? 'value');
  else if (target.sub !== undefined) return undefined;
  return normalizeSortValue(target.def, v);
}

/** One value as it sorts under `def` (see sortKeyOf). */
export function normalizeSortValue(def: AttributeDefinition, v: unknown): SortKey {
  if (v === undefined || v === null || v === '') return undefined;
  switch (def.type) {
    case 'dateTime': {
      const t = typeof v === 'string' ? Date.parse(v) : NaN;
      return Number.isNaN(t) ? undefined : t;
    }
    case 'integer':
    case 'decimal':
      return typeof v === 'number' ? v : typeof v === 'string' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : undefined;
    case 'complex':
      return undefined;
    default:
      if (typeof v !== 'string') return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      return def.caseExact || def.type === 'binary' ? v : v.toLowerCase();
  }
}
