import { ScimError } from '../errors';
import {
  COMPARE_OPERATORS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  type AttrPath,
  type CompareOperator,
  type FilterNode,
} from './ast';
import { Lexer } from './lexer';

/**
 * Parses an RFC 7644 §3.4.2.2 filter into a {@link FilterNode}; throws ScimError 400
 * `invalidFilter` naming the position. Precedence: `not` > `and` > `or`; operators and keywords
 * in any case (the RFC's own example writes `userName Sw "J"`).
 */
export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw ScimError.badRequest('invalidFilter', `Invalid filter: longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const lx = new Lexer(text, 'invalidFilter', 'filter');
  const parser = new FilterParser(lx);
  lx.skipSpace();
  if (lx.eof()) throw lx.fail('the filter is empty');
  const node = parser.parseOr(false);
  lx.skipSpace();
  if (!lx.eof()) throw lx.fail(`unexpected "${lx.peek()}"`);
  return node;
}

/** Recursive-descent parser over a {@link Lexer}; also used for the `[...]` of PATCH paths. */
export class FilterParser {
  private depth = 0;
  constructor(private readonly lx: Lexer) {}

  /** `filter = term *("or" term)`; `inBrackets` for a valuePath's `valFilter`. */
  parseOr(inBrackets: boolean): FilterNode {
    let left = this.parseAnd(inBrackets);
    while (this.keyword('or')) {
      const right = this.parseAnd(inBrackets);
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private parseAnd(inBrackets: boolean): FilterNode {
    let left = this.parseUnary(inBrackets);
    while (this.keyword('and')) {
      const right = this.parseUnary(inBrackets);
      left = { kind: 'and', left, right };
    }
    return left;
  }

  /** Consumes ` keyword ` (surrounded by whitespace or a parenthesis) if it comes next. */
  private keyword(word: 'and' | 'or'): boolean {
    const save = this.lx.pos;
    if (!this.lx.skipSpace()) return false;
    if (this.lx.peekWord() === word) {
      this.lx.advance(word.length);
      if (this.lx.eof()) throw this.lx.fail(`expected an expression after "${word}" but the input ended`);
      if (this.lx.skipSpace() || this.lx.peek() === '(') return true;
    }
    this.lx.pos = save;
    return false;
  }

  private enter(at: number): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) throw this.lx.fail(`nested deeper than ${MAX_FILTER_DEPTH} levels`, at);
  }

  private parseUnary(inBrackets: boolean): FilterNode {
    const lx = this.lx;
    lx.skipSpace();
    const start = lx.pos;
    if (lx.eof()) throw lx.fail('expected an expression but the input ended');
    if (lx.peek() === '(') return this.parseGroup(start, inBrackets);
    if (lx.peekWord() === 'not') {
      lx.advance(3);
      lx.skipSpace();
      if (lx.peek() === '(') return { kind: 'not', filter: this.parseGroup(start, inBrackets) };
      // An attribute that happens to be called "not".
      lx.pos = start;
    }
    return this.parseAttrExp(inBrackets);
  }

  /** `"(" filter ")"` at the current position; counts toward the depth bound from `start`. */
  private parseGroup(start: number, inBrackets: boolean): FilterNode {
    return this.parseEnclosed(')', start, inBrackets);
  }

  /**
   * The filter between an opening bracket at the current position and `close`: `(...)` for
   * grouping, `[...]` for a value filter (which may not be empty). Nesting counts toward the depth bound.
   */
  private parseEnclosed(close: ')' | ']', start: number, inBrackets: boolean): FilterNode {
    const lx = this.lx;
    this.enter(start);
    lx.advance(1);
    lx.skipSpace();
    if (close === ']' && lx.peek() === ']') throw lx.fail('empty value filter');
    const inner = this.parseOr(inBrackets);
    lx.skipSpace();
    lx.expect(close);
    this.depth--;
    return inner;
  }

  /** `attrExp` or `valuePath`, including Entra's `valuePath.sub op value` form. */
  private parseAttrExp(inBrackets: boolean): FilterNode {
    const lx = this.lx;
    const start = lx.pos;
    const path = lx.readAttrPath();
    if (lx.peek() === '[') {
      if (inBrackets) throw lx.fail('a value filter cannot contain another "["');
      if (path.sub !== undefined) throw lx.fail('"[" must follow a complex attribute, not a sub-attribute', start);
      const filter = this.parseBrackets();
      const sub = lx.readSubAttr();
      if (sub === undefined) return { kind: 'valuePath', path, filter };
      // Entra: `emails[type eq "work"].value eq "x"` means some work email has that value.
      const tail = this.parseOperation({ attr: sub });
      return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: tail } };
    }
    if (inBrackets && (path.uri !== undefined || path.sub !== undefined)) {
      throw lx.fail('inside "[...]" name a sub-attribute only', start);
    }
    return this.parseOperation(path);
  }

  /** The `[valFilter]` of a value path, positioned on "[". */
  parseBrackets(): FilterNode {
    return this.parseEnclosed(']', this.lx.pos, true);
  }

  /** `SP compareOp SP compValue` or `SP "pr"` after a path. */
  private parseOperation(path: AttrPath): FilterNode {
    const lx = this.lx;
    if (!lx.skipSpace()) throw lx.fail(lx.eof() ? 'expected an operator but the input ended' : 'expected a space and an operator');
    const opAt = lx.pos;
    const word = lx.peekWord();
    if (word === 'pr') {
      lx.advance(2);
      return { kind: 'present', path };
    }
    if (!(COMPARE_OPERATORS as readonly string[]).includes(word)) {
      throw lx.fail(word ? `unknown operator "${word}"` : 'expected an operator', opAt);
    }
    lx.advance(2);
    if (!lx.skipSpace()) throw lx.fail(lx.eof() ? 'expected a value but the input ended' : 'expected a space after the operator');
    const value = lx.readValue();
    return { kind: 'compare', op: word as CompareOperator, path, value };
  }
}
