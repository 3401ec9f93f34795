/**
 * Orders two `sortBy` values (RFC 7644 §3.4.2.3): resources without a value sort last whatever
 * the order; numbers numerically; everything else as case-insensitive text.
 */
export function compareSortValues(a: unknown, b: unknown, order: 'ascending' | 'descending'): number {
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const dir = order === 'descending' ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * dir;
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase()) * dir;
}
