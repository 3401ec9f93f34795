import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseStrictJson } from '../../lambdas/http/parseStrictJson';
import { ScimError } from '../../lambdas/scim/errors';

const utf8 = (s: string) => new TextEncoder().encode(s);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function errorOf(bytes: Uint8Array): ScimError | undefined {
  try {
    parseStrictJson(bytes);
    return undefined;
  } catch (e) {
    return e as ScimError;
  }
}

describe('parseStrictJson', () => {
  it.each<[string, Uint8Array]>([
    ['invalid JSON', utf8('{"a":')],
    ['a lone high surrogate escape', utf8('{"userName":"a\\ud800b"}')],
    ['a lone low surrogate escape', utf8('{"userName":"\\udc00"}')],
    ['a reversed surrogate pair', utf8('["\\udc00\\ud800"]')],
    ['a lone surrogate escape in a member name', utf8('{"\\ud800":1}')],
    ['an overlong UTF-8 encoding', Uint8Array.from([0x22, 0xc0, 0xaf, 0x22])],
    ['a UTF-8 encoded surrogate (CESU-8)', Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['a truncated multi-byte sequence', Uint8Array.from([0x22, 0xe2, 0x82, 0x22])],
    ['Latin-1 bytes', Uint8Array.from([0x22, 0xe9, 0x22])],
    ['a repeated member name', utf8('{"userName":"a","userName":"b"}')],
    ['a repeated member name spelled with an escape', utf8('{"userName":"a","user\\u004eame":"b"}')],
    ['a repeated member name deep inside', utf8('{"Operations":[{"op":"add","value":{"x":1,"x":2}}]}')],
    ['nesting one level too deep', utf8(nested(MAX_JSON_DEPTH + 1))],
    ['nesting far too deep', utf8(nested(200_000))],
    ['deep objects', utf8('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))],
    ['deep nesting that is also unterminated', utf8('['.repeat(100_000))],
  ])('answers 400 invalidSyntax to %s', (_why, bytes) => {
    // Act
    const error = errorOf(bytes);
    // Assess
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });

  it.each<[string, string, unknown]>([
    ['nesting at the limit', nested(MAX_JSON_DEPTH), JSON.parse(nested(MAX_JSON_DEPTH))],
    ['the same name in sibling objects', '[{"a":1},{"a":2}]', [{ a: 1 }, { a: 2 }]],
    ['the same name at two levels', '{"a":{"a":1}}', { a: { a: 1 } }],
    ['names differing in case (validation decides)', '{"userName":"a","username":"b"}', { userName: 'a', username: 'b' }],
    ['a value equal to a member name', '{"a":"b","b":"a"}', { a: 'b', b: 'a' }],
    ['brackets and quotes inside strings', '{"a":"[{\\"}]","b":"\\\\"}', { a: '[{"}]', b: '\\' }],
    ['a surrogate pair escape', '{"a":"\\ud83d\\ude00"}', { a: '\u{1F600}' }],
    ['raw astral characters', '{"a":"\u{1F600}"}', { a: '\u{1F600}' }],
    ['a UTF-8 byte order mark', '\uFEFF{"a":1}', { a: 1 }],
  ])('accepts %s', (_why, text, expected) => {
    // Act, Assess
    expect(parseStrictJson(utf8(text))).toEqual(expected);
  });

  it('parses whatever JSON.stringify writes, within the depth limit, to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ depthSize: 'medium', maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });
});
