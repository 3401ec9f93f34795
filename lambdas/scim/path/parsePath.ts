import { ScimError } from '../errors';
import { MAX_FILTER_LENGTH, type AttrPath, type FilterNode } from '../filter/ast';
import { Lexer } from '../filter/lexer';
import { FilterParser } from '../filter/parseFilter';

/**
 * A PATCH target (RFC 7644 §3.5.2 `PATH = attrPath / valuePath [subAttr]`): the attribute, an
 * optional value filter on it, and the sub-attribute (after the filter when there is one).
 */
export interface PatchPath extends AttrPath {
  readonly filter?: FilterNode;
}

/**
 * Parses a PATCH `path`: `members`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:...:enterprise:2.0:User:manager[value eq "id"]`. Throws 400 `invalidPath` naming the position.
 */
export function parsePath(text: string): PatchPath {
  if (text.length > MAX_FILTER_LENGTH) throw ScimError.badRequest('invalidPath', `Invalid path: longer than ${MAX_FILTER_LENGTH} characters`);
  const lx = new Lexer(text.trim(), 'invalidPath', 'path');
  if (lx.eof()) throw lx.fail('the path is empty');
  const path = lx.readAttrPath();
  if (lx.peek() !== '[') {
    if (!lx.eof()) throw lx.fail(`unexpected "${lx.peek()}"`);
    return path;
  }
  if (path.sub !== undefined) throw lx.fail('"[" must follow a complex attribute, not a sub-attribute');
  const filter = new FilterParser(lx).parseBrackets();
  const sub = lx.readSubAttr();
  if (!lx.eof()) throw lx.fail(`unexpected "${lx.peek()}"`);
  return { ...path, filter, ...(sub !== undefined ? { sub } : {}) };
}
