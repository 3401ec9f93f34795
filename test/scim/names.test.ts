import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUniqueName, nameKey } from '../../lambdas/scim/names';
import { ScimError } from '../../lambdas/scim/errors';

// Pairs a person (or an app that normalises) reads as one name: they must collide on uniqueness.
const SAME: [string, string, string][] = [
  ['ASCII case', 'Alice@Contoso.com', 'alice@contoso.com'],
  ['leading and trailing spaces', '  alice ', 'alice'],
  ['leading tab-free Unicode space (NBSP)', '\u00A0alice', 'alice'],
  ['ideographic space inside', 'john\u3000smith', 'john smith'],
  ['runs of spaces', 'john   smith', 'john smith'],
  ['NFC vs NFD', 'jos\u00E9', 'jose\u0301'],
  ['NFD uppercase vs NFC lowercase', 'JOSE\u0301', 'jos\u00E9'],
  ['fullwidth letters', '\uFF41\uFF4C\uFF49\uFF43\uFF45', 'alice'],
  ['fullwidth at sign and digits', 'bob\uFF20x\uFF11.com', 'bob@x1.com'],
  ['halfwidth katakana', '\uFF76\uFF80\uFF76\uFF85', '\u30AB\u30BF\u30AB\u30CA'],
  ['ligature fi', '\uFB01nance', 'finance'],
  ['ligature ffl', 'wa\uFB04e', 'waffle'],
  ['superscript two', 'user\u00B2', 'user2'],
  ['circled digit', 'team\u2460', 'team1'],
  ['Kelvin sign', '\u212Aelvin', 'kelvin'],
  ['Angstrom sign', '\u212Bngstr\u00F6m', '\u00E5ngstr\u00F6m'],
  ['micro sign', '\u00B5-team', '\u03BC-team'],
  ['sharp s vs ss', 'stra\u00DFe', 'strasse'],
  ['capital sharp s vs ss', 'STRA\u1E9EE', 'strasse'],
  ['capital sharp s vs sharp s', '\u1E9E', '\u00DF'],
  ['final sigma vs sigma', '\u03BF\u03B4\u03BF\u03C2', '\u03BF\u03B4\u03BF\u03C3'],
  ['capital sigma vs final sigma', '\u039F\u0394\u039F\u03A3', '\u03BF\u03B4\u03BF\u03C2'],
  ['Greek with ypogegrammeni', '\u1FB3', '\u03B1\u03B9'],
  ['Greek titlecase with prosgegrammeni', '\u1FBC', '\u1FB3'],
  ['long s', '\u017Fam', 'sam'],
  ['dotted capital I vs i + combining dot', '\u0130stanbul', 'i\u0307stanbul'],
  ['Cyrillic case', '\u041F\u0420\u0418\u0412\u0415\u0422', '\u043F\u0440\u0438\u0432\u0435\u0442'],
  ['Armenian ligature ech yiwn', '\u0587', '\u0565\u0582'],
  ['Deseret (astral) case', '\u{10400}', '\u{10428}'],
  ['Cherokee case', '\u13A0', '\uAB70'],
  ['titlecase digraph', '\u01C5', '\u01C6'],
  ['zero width joiner ignored', 'ad\u200Dmin', 'admin'],
  ['zero width non-joiner ignored', 'ad\u200Cmin', 'admin'],
  ['variation selector ignored', 'admin\uFE0F', 'admin'],
  ['combining grapheme joiner ignored', 'ad\u034Fmin', 'admin'],
  ['Hangul filler ignored', 'admin\u3164', 'admin'],
];

// Look-alike to some, but distinct names: they must NOT collide.
const DIFFERENT: [string, string, string][] = [
  ['dotless i vs i', 'kad\u0131n', 'kadin'],
  ['dotted capital I vs plain I', '\u0130stanbul', 'Istanbul'],
  ['accented vs unaccented', 'jos\u00E9', 'jose'],
  ['Cyrillic a vs Latin a (homoglyphs out of scope)', '\u0430dmin', 'admin'],
  ['one space vs none', 'john smith', 'johnsmith'],
  ['hyphen vs none', 'a-b', 'ab'],
  ['digit 0 vs letter o', 'b0b', 'bob'],
];

// Refused in a unique attribute with 400 invalidValue.
const REFUSED: [string, string][] = [
  ['NUL', 'ali\u0000ce'],
  ['tab inside', 'ali\tce'],
  ['newline inside', 'ali\nce'],
  ['DEL', 'ali\u007Fce'],
  ['C1 control', 'ali\u0085ce'],
  ['zero width space', 'ali\u200Bce'],
  ['soft hyphen', 'ali\u00ADce'],
  ['left-to-right mark', 'alice\u200E'],
  ['right-to-left mark', '\u200Falice'],
  ['right-to-left override', '\u202Eecila'],
  ['left-to-right embedding', '\u202Aalice'],
  ['first strong isolate', '\u2068alice\u2069'],
  ['arabic letter mark', 'alice\u061C'],
  ['word joiner', 'ali\u2060ce'],
  ['byte order mark inside', 'ali\uFEFFce'],
  ['interlinear annotation', 'ali\uFFF9ce'],
  ['tag character', 'alice\u{E0041}'],
  ['line separator', 'ali\u2028ce'],
  ['paragraph separator', 'ali\u2029ce'],
  ['noncharacter', 'ali\uFFFEce'],
  ['lone surrogate', 'ali\uD800ce'],
  ['only spaces', '   '],
  ['only a Hangul filler', '\u3164'],
  ['only joiners', '\u200D\u200C'],
];

describe('nameKey', () => {
  it.each(SAME)('treats %s as one name', (_why, a, b) => {
    // Act, Assess
    expect(nameKey(a)).toBe(nameKey(b));
  });

  it.each(DIFFERENT)('keeps %s apart', (_why, a, b) => {
    // Act, Assess
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('is idempotent: the comparison form of a comparison form is itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        const k = nameKey(s);
        expect(nameKey(k)).toBe(k);
      }),
      { numRuns: 2000 },
    );
  });

  it('folds every assigned code point to a form that no longer changes', () => {
    // Every code point, so a Unicode update that breaks the fold's fixpoint shows up here.
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const k = nameKey(String.fromCodePoint(cp));
      if (nameKey(k) !== k) throw new Error(`U+${cp.toString(16)} folds to ${JSON.stringify(k)}, which folds again`);
    }
  });
});

describe('checkUniqueName', () => {
  it.each(REFUSED)('refuses a name with %s with 400 invalidValue', (_why, value) => {
    // Act
    let caught: unknown;
    try {
      checkUniqueName(value, 'userName');
    } catch (e) {
      caught = e;
    }
    // Assess
    expect(caught).toBeInstanceOf(ScimError);
    expect(caught).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect((caught as ScimError).detail).toContain("'userName'");
  });

  it.each([
    ['plain ASCII', 'alice@contoso.com', 'alice@contoso.com'],
    ['trimmed spaces', '  alice@contoso.com\t', 'alice@contoso.com'],
    ['fullwidth kept as sent', '\uFF41\uFF4C\uFF49\uFF43\uFF45', '\uFF41\uFF4C\uFF49\uFF43\uFF45'],
    ['NFD kept as sent', 'jose\u0301', 'jose\u0301'],
    ['Persian with ZWNJ', '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645', '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'],
    ['emoji ZWJ sequence', 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}', 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}'],
    ['inner spaces kept', 'John  Smith', 'John  Smith'],
  ])('accepts %s and stores it trimmed, otherwise as sent', (_why, value, stored) => {
    // Act, Assess
    expect(checkUniqueName(value, 'userName')).toBe(stored);
  });
});
