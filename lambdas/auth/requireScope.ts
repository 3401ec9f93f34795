import { ScimError } from '../scim/errors';
import { parseScopeList, requiredScope } from './scopes';

/**
 * Throws ScimError 403 unless `scopes` (the authorizer context's space-separated list) grants the
 * scope `method` + `resourcePath` needs. Handlers call it on every request: the second check
 * behind the authorizer's policy, and the only one on the local server's direct calls.
 */
export function requireScope(scopes: string | undefined, method: string, resourcePath: string): void {
  const needed = requiredScope(method, resourcePath);
  if (!parseScopeList(scopes).includes(needed)) {
    throw new ScimError(403, undefined, `token lacks scope ${needed}`);
  }
}
