/** A JSON object. */
type Json = Record<string, unknown>;

const isUrn = (key: string) => key.toLowerCase().startsWith('urn:');
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The names of the attributes that differ between two stored versions of a resource: top-level
 * core attributes by name (`displayName`, `emails`), extension attributes qualified by their
 * schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, the form
 * RFC 7644 §3.10 uses in paths). `password` is named when its hash changed; its value never is.
 * Sorted, so the same change always reads the same.
 */
export function changedAttributes(before: Json, after: Json): string[] {
  const out = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'schemas') continue;
    const a = before[key];
    const b = after[key];
    if (isUrn(key) && (isObject(a) || isObject(b))) {
      const ea = isObject(a) ? a : {};
      const eb = isObject(b) ? b : {};
      for (const sub of new Set([...Object.keys(ea), ...Object.keys(eb)])) {
        if (!sameValue(ea[sub], eb[sub])) out.add(`${key}:${sub}`);
      }
      continue;
    }
    if (!sameValue(a, b)) out.add(key);
  }
  return [...out].sort();
}

/** Deep equality of two JSON values, object keys in any order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}
