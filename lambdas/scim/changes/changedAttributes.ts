import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;

/** Keys of schema extensions (`urn:...`) hold objects whose attributes are reported one by one. */
const EXTENSION_KEY = /^urn:/i;

/**
 * The names of the attributes whose value differs between two stored forms of a resource: core
 * attributes by name, extension attributes as `<urn>:<name>` (RFC 7644 §3.10 attribute notation).
 * Names only, never values (the result feeds metrics, audit and events: no personal data).
 * `schemas` is bookkeeping, not an attribute, and is left out. Sorted, so results compare.
 */
export function changedAttributes(before: Json, after: Json): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'schemas') continue;
    const a = before[key];
    const b = after[key];
    if (isDeepStrictEqual(a, b)) continue;
    if (EXTENSION_KEY.test(key) && isObject(a ?? {}) && isObject(b ?? {})) {
      for (const sub of changedAttributes((a ?? {}) as Json, (b ?? {}) as Json)) changed.push(`${key}:${sub}`);
      continue;
    }
    changed.push(key);
  }
  return changed.sort();
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
