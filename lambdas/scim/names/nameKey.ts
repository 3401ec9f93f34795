/**
 * The comparison form of a name that must be unique (`userName`, Group `displayName`, custom
 * attributes declared `uniqueness: "server"`): two values are the same name when their forms are
 * equal. Modelled on the PRECIS UsernameCaseMapped profile (RFC 8265 §3.3, RFC 8264):
 *
 * 1. trim leading and trailing white space (RFC 8265 leaves it to the application; a person sees
 *    " alice" and "alice" as one name);
 * 2. NFKC (RFC 8264 §9.2 width mapping is the `<wide>`/`<narrow>` part of it; the rest folds
 *    compatibility forms such as ligatures `ﬁ`, superscripts and the Kelvin sign into one form);
 * 3. full case folding (RFC 8264 §9.3 case mapping; Unicode CaseFolding.txt statuses C and F):
 *    `ß`/`ẞ` -> `ss`, final `ς` -> `σ`, `İ` -> `i̇`; dotless `ı` stays distinct from `i`;
 * 4. NFKC again, because folding can produce a sequence that is not in normal form;
 * 5. default-ignorable code points that {@link refuseInvisible} lets through (ZWJ/ZWNJ, variation
 *    selectors, CGJ, Hangul fillers) are dropped, and runs of white space become one space
 *    (RFC 8266 Nickname's rule: "a b" and "a  b" look alike).
 *
 * Homoglyphs across scripts (Cyrillic `а` vs Latin `a`) are NOT unified: that needs a confusables
 * table (UTS #39) and would refuse legitimate names in mixed-script tenants.
 */
export function nameKey(value: string): string {
  // Printable ASCII (most userNames and group names): NFKC changes nothing, folding is lowercasing,
  // and there is nothing default-ignorable; only the white-space rule remains.
  if (PRINTABLE_ASCII.test(value)) return value.toLowerCase().replace(/\s+/g, ' ').trim();
  const folded = caseFold(value.trim().normalize('NFKC')).normalize('NFKC');
  return folded.replace(IGNORABLE, '').replace(/\s+/gu, ' ').trim();
}

/** Tab, line breaks and printable ASCII: code points every step below maps as plain lowercasing does. */
const PRINTABLE_ASCII = /^[\t\n\v\f\r\x20-\x7e]*$/;

/** Default_Ignorable_Code_Point: invisible, so two names differing only in them are one name. */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

const DOTLESS_I = '\u0131';

/**
 * Full case folding without the Turkic rules. JavaScript has no `casefold()`. Per code point,
 * `toUpperCase().toLowerCase()` repeated until it stops changing yields the same classes as
 * CaseFolding.txt's C+F mappings (checked against Python's `str.casefold` for every assigned code
 * point of Unicode 14) except dotless ı, which folding keeps and the round trip turns into `i`.
 * Repeated because `ẞ` (U+1E9E) lowercases to `ß`, which only the next round turns into `ss`; done
 * code point by code point so `toLowerCase`'s final-sigma rule cannot reintroduce `ς`.
 */
function caseFold(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === DOTLESS_I) {
      out += ch;
      continue;
    }
    let prev = ch;
    let next = ch.toUpperCase().toLowerCase();
    while (next !== prev) {
      prev = next;
      next = prev.toUpperCase().toLowerCase();
    }
    out += next;
  }
  return out;
}
