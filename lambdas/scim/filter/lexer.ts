import { ScimError, type ScimErrorType } from '../errors';
import type { AttrPath, FilterValue } from './ast';

// RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar); `$ref` is the one name the RFC itself breaks it with.
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const PATH_CHAR = /[A-Za-z0-9_$:.-]/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const WORD_CHAR = /[A-Za-z]/;

/** True for a name allowed by RFC 7643 §2.1 `ATTRNAME` (plus `$ref`). */
export function isAttrName(name: string): boolean {
  return ATTR_NAME.test(name);
}

/**
 * A character scanner shared by the filter and PATCH path parsers. Errors name the 1-based
 * character position and carry the scimType of the grammar being read (invalidFilter or
 * invalidPath, RFC 7644 §3.12).
 */
export class Lexer {
  pos = 0;
  constructor(
    readonly text: string,
    readonly scimType: ScimErrorType,
    readonly what: string,
  ) {}

  /** A 400 naming the position (1-based) where reading failed. */
  fail(message: string, at: number = this.pos): ScimError {
    return ScimError.badRequest(this.scimType, `Invalid ${this.what}: ${message} at position ${at + 1}`);
  }

  /** True at the end of input. */
  eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** The current character, or '' at the end. */
  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Skips whitespace; returns whether any was skipped. RFC 7644 says SP, we accept any. */
  skipSpace(): boolean {
    const start = this.pos;
    while (!this.eof() && /\s/.test(this.text[this.pos] as string)) this.pos++;
    return this.pos > start;
  }

  /** Consumes `ch` or fails. */
  expect(ch: string): void {
    if (this.peek() !== ch) throw this.fail(this.eof() ? `expected "${ch}" but the input ended` : `expected "${ch}"`);
    this.pos++;
  }

  /** Reads a run of letters (operators and keywords), lowercased; '' when none. */
  peekWord(): string {
    let end = this.pos;
    while (end < this.text.length && WORD_CHAR.test(this.text[end] as string)) end++;
    return this.text.slice(this.pos, end).toLowerCase();
  }

  /** Consumes `n` characters. */
  advance(n: number): void {
    this.pos += n;
  }

  /**
   * Reads an attribute path: `attr`, `attr.sub`, `urn:...:attr`, `urn:...:attr.sub`
   * (RFC 7644 §3.4.2.2 `attrPath`, RFC 7643 §3.10 for the URN prefix).
   */
  readAttrPath(): AttrPath {
    const start = this.pos;
    while (!this.eof() && PATH_CHAR.test(this.peek())) this.pos++;
    const raw = this.text.slice(start, this.pos);
    if (raw === '') throw this.fail('expected an attribute name', start);
    let uri: string | undefined;
    let rest = raw;
    if (/^urn:/i.test(raw)) {
      const colon = raw.lastIndexOf(':');
      uri = raw.slice(0, colon);
      rest = raw.slice(colon + 1);
      if (rest === '') throw this.fail(`expected an attribute name after the schema URN "${uri}"`, start + colon + 1);
    } else if (raw.includes(':')) {
      throw this.fail(`"${raw}" is neither an attribute name nor a schema-URN-qualified attribute`, start);
    }
    const parts = rest.split('.');
    if (parts.length > 2) throw this.fail(`"${rest}" has more than one sub-attribute`, start);
    const [attr, sub] = parts as [string, string | undefined];
    if (!isAttrName(attr)) throw this.fail(`"${attr}" is not a valid attribute name`, start);
    if (sub !== undefined && !isAttrName(sub)) throw this.fail(`"${sub}" is not a valid sub-attribute name`, start);
    return { ...(uri !== undefined ? { uri } : {}), attr, ...(sub !== undefined ? { sub } : {}) };
  }

  /** Reads `.name` after a `]` (RFC 7644 §3.5.2 `valuePath [subAttr]`); undefined when absent. */
  readSubAttr(): string | undefined {
    if (this.peek() !== '.') return undefined;
    this.pos++;
    const start = this.pos;
    while (!this.eof() && /[A-Za-z0-9_$-]/.test(this.peek())) this.pos++;
    const name = this.text.slice(start, this.pos);
    if (!isAttrName(name)) throw this.fail('expected a sub-attribute name', start);
    return name;
  }

  /**
   * Reads a `compValue`: a JSON string (with JSON escapes), number, true, false or null. Tolerates
   * unquoted strings (`name.familyName eq Smith`), which some clients send.
   */
  readValue(): FilterValue {
    const start = this.pos;
    if (this.peek() === '"') {
      this.pos++;
      while (!this.eof() && this.peek() !== '"') {
        if (this.peek() === '\\') this.pos++;
        this.pos++;
      }
      if (this.eof()) throw this.fail('unterminated string', start);
      this.pos++;
      let value: string;
      try {
        value = JSON.parse(this.text.slice(start, this.pos)) as string;
      } catch {
        throw this.fail('invalid escape in string', start);
      }
      // A lone surrogate escape (RFC 8259 §8.2) names no stored value and is no valid DynamoDB key.
      if (/\p{Cs}/u.test(value)) throw this.fail('lone UTF-16 surrogate escape in string', start);
      return value;
    }
    while (!this.eof() && !/[\s()[\]]/.test(this.peek())) this.pos++;
    const raw = this.text.slice(start, this.pos);
    if (raw === '') throw this.fail(this.eof() ? 'expected a value but the input ended' : 'expected a value', start);
    const lower = raw.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(raw)) return Number(raw);
    return raw;
  }
}
