import { ScimError } from '../scim/errors';
import type { ScimEvent, ScimResult } from './types';
import type { Context } from 'aws-lambda';
import { scimPath } from './request';

/** One route: method, a pattern over the path below /scim/v2, and what serves it. */
export interface Route {
  readonly method: string;
  /** Matched case-insensitively; capture groups become `params`. */
  readonly pattern: RegExp;
  readonly handle: (event: ScimEvent, params: string[], context: Context) => Promise<ScimResult>;
}

/**
 * Dispatches on method and path. An unknown path is a SCIM 404; a known path with another
 * method is 405 with `Allow` (RFC 7231), not a 500.
 */
export function route(routes: readonly Route[]) {
  return async (event: ScimEvent, context: Context): Promise<ScimResult> => {
    const path = scimPath(event);
    const method = (event.httpMethod ?? 'GET').toUpperCase();
    const allowed: string[] = [];
    for (const r of routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method === method) return r.handle(event, m.slice(1).map(decodeSegment), context);
      allowed.push(r.method);
    }
    if (allowed.length > 0) {
      throw new ScimError(405, undefined, `Method ${method} is not supported on ${path}; use ${allowed.join(', ')}`, {
        headers: { Allow: allowed.join(', ') },
      });
    }
    throw ScimError.notFound(`No SCIM endpoint at ${path}`);
  };
}

/** Decodes one path segment; a malformed escape is the client's mistake, not a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ScimError.notFound(`Malformed path segment ${segment.slice(0, 60)}`);
  }
}
