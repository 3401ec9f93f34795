import { ScimError } from '../scim/errors';

/**
 * Deepest nesting of arrays and objects a request body may have. The deepest SCIM document we take
 * is a /Bulk operation carrying a resource with an extension's complex multi-valued attribute
 * (Bulk > Operations > [op] > data > extension > attribute > [value] > sub-attribute: 8 levels);
 * 32 leaves room for clients' extras and keeps every recursive walk of the body far from a stack
 * overflow, which would otherwise be a 500 for a client's mistake.
 */
export const MAX_JSON_DEPTH = 32;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a request body as RFC 8259 JSON, strictly: the bytes must be UTF-8 (§8.1), strings must
 * not hold lone surrogates (§8.2: their behaviour is unpredictable, and DynamoDB refuses them),
 * object member names must be unique (§4 leaves duplicates to the implementation: which one wins
 * differs between parsers, so a proxy and we could read two different users), and nesting is
 * bounded by {@link MAX_JSON_DEPTH}. Every failure is 400 `invalidSyntax`.
 */
export function parseStrictJson(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw invalidSyntax('Request body is not valid UTF-8 (RFC 8259 §8.1)');
  }
  // Structure first: it stops at the first level too deep, before JSON.parse builds anything.
  checkStructure(text, maxDepth);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidSyntax('Request body is not valid JSON');
  }
}

/**
 * One pass over the text: nesting depth, duplicate member names, escaped lone surrogates. Only
 * brackets, commas, colons and strings matter; malformed JSON it lets through fails in JSON.parse.
 */
function checkStructure(text: string, maxDepth: number): void {
  // One entry per open container: the member names seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const token = text.slice(i, end);
      const hasEscape = token.includes('\\');
      let j = end;
      while (j < n && isWhitespace(text.charCodeAt(j))) j++;
      const top = stack[stack.length - 1];
      const isName = top instanceof Set && text.charCodeAt(j) === 0x3a; /* : */
      if (isName || hasEscape) {
        const value = decodeString(token);
        if (hasEscape && !isWellFormed(value)) throw invalidSyntax('Request body holds a lone UTF-16 surrogate escape (RFC 8259 §8.2)');
        if (isName) {
          if (top.has(value)) throw invalidSyntax(`Request body repeats the member name "${value.slice(0, 60)}" in one object`);
          top.add(value);
        }
      }
      i = end;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c === 0x7b ? new Set() : null);
      if (stack.length > maxDepth) throw invalidSyntax(`Request body nests deeper than ${maxDepth} levels`);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    }
    i++;
  }
}

/** Index just past the closing quote of the string starting at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return text.length;
}

function decodeString(token: string): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    throw invalidSyntax('Request body is not valid JSON');
  }
}

/** True when every surrogate in `s` is half of a pair (String.prototype.isWellFormed, Node 20+). */
function isWellFormed(s: string): boolean {
  return !/\p{Cs}/u.test(s);
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function invalidSyntax(detail: string): ScimError {
  return ScimError.badRequest('invalidSyntax', detail);
}
