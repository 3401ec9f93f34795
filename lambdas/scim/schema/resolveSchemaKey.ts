import type { ResourceTypeSchemas } from './registry';
import type { SchemaDefinition } from './types';

/** Where a top-level key or attribute path of a resource belongs: its schema and the rest of the name. */
export interface SchemaKey {
  /** The core schema or a declared extension of the resource type. */
  readonly schema: SchemaDefinition;
  /** True when `schema` is an extension (its attributes live under the URN key). */
  readonly extension: boolean;
  /** What follows the URN and its `:` (e.g. `department`, `name.givenName`), or '' for the bare URN. */
  readonly rest: string;
}

/**
 * Resolves a key such as `urn:…:enterprise:2.0:User`, `urn:…:enterprise:2.0:User:department` or
 * `urn:…:core:2.0:User:name.givenName` against the schemas of one resource type, case-insensitively
 * (RFC 7643 §2.1, RFC 7644 §3.10). Longest URN wins. Undefined when no declared schema matches.
 */
export function resolveSchemaKey(types: ResourceTypeSchemas, key: string): SchemaKey | undefined {
  const lower = key.toLowerCase();
  let best: SchemaKey | undefined;
  for (const schema of [types.core, ...types.extensions]) {
    const urn = schema.id.toLowerCase();
    const extension = schema !== types.core;
    if (lower === urn) return { schema, extension, rest: '' };
    if (lower.startsWith(`${urn}:`) && (!best || best.schema.id.length < urn.length)) {
      best = { schema, extension, rest: key.slice(urn.length + 1) };
    }
  }
  return best;
}

/** True for a key that looks like a schema URN or a URN-qualified name (`urn:` prefix, any case). */
export function isUrnKey(key: string): boolean {
  return /^urn:/i.test(key) || /^https?:\/\//i.test(key);
}
