import { ScimError } from '../errors';
import { nameKey } from './nameKey';

/**
 * Characters a unique name may not hold: controls (Cc: NUL, tab, newline, DEL, C1), format
 * characters (Cf: zero-width space, soft hyphen, bidi marks, embeddings and overrides, word joiner,
 * a BOM inside the text, tag characters), line and paragraph separators, surrogates and
 * noncharacters. They are invisible or reorder text, so they let two accounts look identical; PRECIS
 * IdentifierClass (RFC 8264 §9.11-9.12) disallows them too. ZWNJ and ZWJ (U+200C, U+200D) are
 * allowed: Persian, Indic scripts and emoji sequences need them (RFC 8264 CONTEXTJ), and
 * {@link nameKey} ignores them, so they cannot make a second account either.
 */
const FORBIDDEN = /(?![\u200C\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/**
 * Checks a value of a unique attribute and returns what is stored: the client's value trimmed of
 * leading and trailing white space, nothing else changed (the IdP reads back what it sent).
 * Throws 400 `invalidValue` for a forbidden character, or for a value with nothing visible in it.
 */
export function checkUniqueName(value: string, path: string): string {
  const trimmed = value.trim();
  const bad = FORBIDDEN.exec(trimmed);
  if (bad) {
    const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ScimError(400, 'invalidValue', `Attribute '${path}' contains the invisible or control character U+${cp}; remove it`);
  }
  if (nameKey(trimmed) === '') throw new ScimError(400, 'invalidValue', `Attribute '${path}' must contain a visible character`);
  return trimmed;
}
