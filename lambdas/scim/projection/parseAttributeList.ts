import { ScimError } from '../errors';

/** Longest `attributes`/`excludedAttributes` value accepted, in characters. */
export const MAX_ATTRIBUTE_LIST_LENGTH = 8192;

/** Most names in one `attributes`/`excludedAttributes` value. */
export const MAX_ATTRIBUTE_NAMES = 200;

/**
 * Splits an `attributes` or `excludedAttributes` value (RFC 7644 §3.4.2.5: comma-separated; in a
 * POST /.search body: an array of strings) into trimmed names. Repeated query parameters arrive as
 * an array too. Unknown names are left for the projection to ignore; only size is bounded
 * (400 invalidValue), since the RFC names no error for unknown attributes here.
 */
export function parseAttributeList(value: string | readonly string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || parts.some((p) => typeof p !== 'string')) {
    throw new ScimError(400, 'invalidValue', 'attributes and excludedAttributes must be strings of comma-separated attribute names');
  }
  const length = parts.reduce((n, p) => n + p.length, 0);
  if (length > MAX_ATTRIBUTE_LIST_LENGTH) {
    throw new ScimError(400, 'invalidValue', `attributes and excludedAttributes may hold at most ${MAX_ATTRIBUTE_LIST_LENGTH} characters`);
  }
  const names = parts.flatMap((p) => p.split(',')).map((n) => n.trim()).filter((n) => n.length > 0);
  if (names.length > MAX_ATTRIBUTE_NAMES) {
    throw new ScimError(400, 'invalidValue', `attributes and excludedAttributes may name at most ${MAX_ATTRIBUTE_NAMES} attributes`);
  }
  return names;
}
