/** A value a resource sorts by (see sortKeyOf); `undefined` when the resource has none. */
export type SortKey = string | number | boolean | undefined | null;

/**
 * Orders two `sortBy` values (RFC 7644 §3.4.2.3). A resource without a value sorts as if its
 * value were greater than any other: last ascending, first descending, as §3.4.2.3 orders
 * resources with no value for the sort attribute. Numbers compare numerically, booleans false before true, strings by Unicode
 * code point: the order DynamoDB keeps in a sort key (UTF-8 bytes), so a page sorted in memory and
 * one read from an index agree. Case folding is the caller's: sortKeyOf lowercases only values of
 * attributes that are not caseExact.
 */
export function compareSortValues(a: unknown, b: unknown, order: 'ascending' | 'descending'): number {
  const dir = order === 'descending' ? -1 : 1;
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return missingA === missingB ? 0 : (missingA ? 1 : -1) * dir;
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b) * dir;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (Number(a) - Number(b)) * dir;
  if (typeof a !== typeof b) return (typeof a < typeof b ? -1 : 1) * dir;
  return compareCodePoints(String(a), String(b)) * dir;
}

/** Compares strings by code point (= UTF-8 byte order), not by UTF-16 code unit or locale. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Surrogates (U+D800-DFFF) encode code points above U+FFFF: rank them after U+E000-FFFF.
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
