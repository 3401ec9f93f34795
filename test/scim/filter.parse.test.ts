import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isScimError } from '../../lambdas/scim/errors';
import {
  COMPARE_OPERATORS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  parseFilter,
  printFilter,
  type AttrPath,
  type FilterNode,
  type FilterValue,
} from '../../lambdas/scim/filter';
import rfc from './fixtures/rfc7644-filters.json';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function failure(text: string): { scimType?: string; detail: string } {
  try {
    parseFilter(text);
  } catch (e) {
    if (!isScimError(e)) throw e;
    expect(e.status).toBe(400);
    return { scimType: e.scimType, detail: e.detail };
  }
  throw new Error(`"${text}" parsed`);
}

describe('parseFilter', () => {
  it.each(rfc.examples)('parses the RFC 7644 example $filter', ({ filter, canonical }) => {
    // Act
    const ast = parseFilter(filter);
    // Assess
    expect(printFilter(ast)).toBe(canonical);
    expect(parseFilter(canonical)).toEqual(ast);
  });

  it.each(COMPARE_OPERATORS)('parses the %s operator in any case', (op) => {
    // Act
    const lower = parseFilter(`title ${op} "x"`);
    const upper = parseFilter(`title ${op.toUpperCase()} "x"`);
    // Assess
    expect(lower).toEqual({ kind: 'compare', op, path: { attr: 'title' }, value: 'x' });
    expect(upper).toEqual(lower);
  });

  it('parses pr in any case', () => {
    expect(parseFilter('title PR')).toEqual({ kind: 'present', path: { attr: 'title' } });
  });

  it.each<[string, FilterValue]>([
    ['"a\\"b\\\\c\\n\\u00e9"', 'a"b\\c\né'],
    ['42', 42],
    ['-1.5e3', -1500],
    ['true', true],
    ['False', false],
    ['null', null],
    ['Smith', 'Smith'],
    ['"123"', '123'],
  ])('reads the literal %s', (literal, value) => {
    expect(parseFilter(`x eq ${literal}`)).toEqual({ kind: 'compare', op: 'eq', path: { attr: 'x' }, value });
  });

  it('binds not tighter than and, and and tighter than or', () => {
    // Act
    const ast = parseFilter('a pr or b pr and not (c pr)');
    // Assess
    expect(ast).toEqual({
      kind: 'or',
      left: { kind: 'present', path: { attr: 'a' } },
      right: {
        kind: 'and',
        left: { kind: 'present', path: { attr: 'b' } },
        right: { kind: 'not', filter: { kind: 'present', path: { attr: 'c' } } },
      },
    });
  });

  it('groups and and or to the left', () => {
    expect(parseFilter('a pr and b pr and c pr')).toEqual({
      kind: 'and',
      left: { kind: 'and', left: { kind: 'present', path: { attr: 'a' } }, right: { kind: 'present', path: { attr: 'b' } } },
      right: { kind: 'present', path: { attr: 'c' } },
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseFilter('(a pr or b pr) and c pr')).toEqual({
      kind: 'and',
      left: { kind: 'or', left: { kind: 'present', path: { attr: 'a' } }, right: { kind: 'present', path: { attr: 'b' } } },
      right: { kind: 'present', path: { attr: 'c' } },
    });
  });

  it('reads keywords in any case', () => {
    expect(parseFilter('a pr AND NOT (b pr) Or c pr')).toEqual(parseFilter('a pr and not (b pr) or c pr'));
  });

  it('reads a complex value filter', () => {
    expect(parseFilter('emails[type eq "work" and value co "@x.com"]')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: {
        kind: 'and',
        left: { kind: 'compare', op: 'eq', path: { attr: 'type' }, value: 'work' },
        right: { kind: 'compare', op: 'co', path: { attr: 'value' }, value: '@x.com' },
      },
    });
  });

  it("reads Entra's value path followed by a sub-attribute as one value filter", () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@y.com"')).toEqual(parseFilter('emails[type eq "work" and value eq "x@y.com"]'));
  });

  it.each<[string, AttrPath]>([
    ['name.familyName', { attr: 'name', sub: 'familyName' }],
    [`${ENTERPRISE}:department`, { uri: ENTERPRISE, attr: 'department' }],
    [`${ENTERPRISE}:manager.value`, { uri: ENTERPRISE, attr: 'manager', sub: 'value' }],
    ['members.$ref', { attr: 'members', sub: '$ref' }],
    ['URN:IETF:params:scim:schemas:core:2.0:User:UserName', { uri: 'URN:IETF:params:scim:schemas:core:2.0:User', attr: 'UserName' }],
  ])('reads the attribute path %s', (path, expected) => {
    expect(parseFilter(`${path} pr`)).toEqual({ kind: 'present', path: expected });
  });

  it('reads a URN-qualified value filter', () => {
    expect(parseFilter(`${ENTERPRISE}:manager[value eq "m1"]`)).toEqual({
      kind: 'valuePath',
      path: { uri: ENTERPRISE, attr: 'manager' },
      filter: { kind: 'compare', op: 'eq', path: { attr: 'value' }, value: 'm1' },
    });
  });

  it('keeps an attribute called "not" an attribute', () => {
    expect(parseFilter('not eq "x"')).toEqual({ kind: 'compare', op: 'eq', path: { attr: 'not' }, value: 'x' });
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['userName', /operator but the input ended at position 9/],
    ['userName eq', /value but the input ended at position 12/],
    ['userName xx "a"', /unknown operator "xx" at position 10/],
    ['userName eq "a', /unterminated string at position 13/],
    ['userName eq "\\q"', /invalid escape/],
    ['(userName eq "a"', /expected "\)"/],
    ['userName eq "a")', /unexpected "\)" at position 16/],
    ['userName eq "a" and', /after "and"/],
    ['emails[type eq "work"', /expected "]"/],
    ['emails[]', /empty value filter/],
    ['emails[type[value eq "x"] eq "y"]', /another "\["/],
    ['name.familyName[value eq "x"]', /complex attribute/],
    ['a.b.c eq "x"', /more than one sub-attribute/],
    ['foo:bar eq "x"', /neither an attribute name/],
    ['1abc eq "x"', /not a valid attribute name/],
    ['emails[x.y eq "x"]', /sub-attribute only/],
    ['not userName eq "x"', /operator/],
  ])('rejects %j with invalidFilter naming the position', (text, detail) => {
    // Act
    const error = failure(text);
    // Assess
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toMatch(detail);
  });

  it('rejects a filter longer than the bound', () => {
    const error = failure(`userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`);
    expect(error).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringMatching(/longer than/) });
  });

  it('rejects nesting deeper than the bound and accepts it at the bound', () => {
    const nest = (n: number): string => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(parseFilter(nest(MAX_FILTER_DEPTH))).toEqual({ kind: 'present', path: { attr: 'a' } });
    expect(failure(nest(MAX_FILTER_DEPTH + 1))).toMatchObject({ scimType: 'invalidFilter', detail: expect.stringMatching(/nested deeper/) });
    expect(failure(`${'not ('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`).scimType).toBe('invalidFilter');
  });

  it('never throws anything but a ScimError 400 invalidFilter on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseFilter(text);
        } catch (e) {
          return isScimError(e) && e.status === 400 && e.scimType === 'invalidFilter';
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

// Arbitrary ASTs, for the print/re-parse property.
const attrName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
const uri = fc.constantFrom(ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:User', 'urn:acme:scim:ext:1.0:Thing');
const attrPath: fc.Arbitrary<AttrPath> = fc.record({ uri, attr: attrName, sub: attrName }, { requiredKeys: ['attr'] });
const subPath: fc.Arbitrary<AttrPath> = attrName.map((attr) => ({ attr }));
const literal: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.boolean(),
  fc.constant(null),
);
const operator = fc.constantFrom(...COMPARE_OPERATORS);

function filterArb(path: fc.Arbitrary<AttrPath>, withValuePath: boolean): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthIdentifier: withValuePath ? 'outer' : 'inner' },
      fc.record({ kind: fc.constant('compare' as const), op: operator, path, value: literal }),
      fc.record({ kind: fc.constant('present' as const), path }),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
      ...(withValuePath
        ? [fc.record({ kind: fc.constant('valuePath' as const), path: fc.record({ uri, attr: attrName }, { requiredKeys: ['attr'] }), filter: filterArb(subPath, false) })]
        : []),
    ),
  })).node;
}

describe('printFilter', () => {
  it('prints a filter that parses back to the same tree', () => {
    fc.assert(
      fc.property(filterArb(attrPath, true), (ast) => {
        expect(parseFilter(printFilter(ast))).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('prints the fewest parentheses', () => {
    expect(printFilter(parseFilter('((a pr) and (b pr)) or ((c pr))'))).toBe('a pr and b pr or c pr');
    expect(printFilter(parseFilter('a pr and (b pr and c pr)'))).toBe('a pr and (b pr and c pr)');
  });
});
