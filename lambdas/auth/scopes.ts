/**
 * The scopes a token can carry: inventory tools hold `scim:read`, provisioning IdPs both, and the
 * vendor's app `events:read` (GET /events) alone: an events token cannot call SCIM and a SCIM
 * token cannot read events, so a leaked app credential changes no directory.
 */
export const SCOPES = ['scim:read', 'scim:write', 'events:read'] as const;

/** The scope of the pull API (GET /events). */
export const EVENTS_SCOPE = 'events:read' satisfies Scope;

/** Throws unless `scopes` keeps events:read apart from the SCIM scopes. */
export function assertScopesSeparate(scopes: readonly Scope[]): void {
  if (scopes.includes(EVENTS_SCOPE) && scopes.some((s) => s !== EVENTS_SCOPE)) {
    throw new Error('events:read cannot be combined with scim:read or scim:write: issue a separate token for the app');
  }
}

/** One token scope. */
export type Scope = (typeof SCOPES)[number];

/** Default scopes of a new token (issue 7: "Default: both"). */
export const DEFAULT_SCOPES: readonly Scope[] = ['scim:read', 'scim:write'];

/**
 * The scope a request needs: reads are `GET`/`HEAD` and `POST .../.search` (RFC 7644 §3.4.3
 * defines search as a POST that changes nothing); everything else writes.
 */
export function requiredScope(method: string, resourcePath: string): Scope {
  const m = method.toUpperCase();
  if (/^\/?events\/?$/i.test(resourcePath)) return EVENTS_SCOPE;
  if (m === 'GET' || m === 'HEAD') return 'scim:read';
  if (m === 'POST' && /\/\.search\/?$/.test(resourcePath)) return 'scim:read';
  return 'scim:write';
}

/** Parses the space-separated scope list the authorizer puts in its context. */
export function parseScopeList(scopes: string | undefined): Scope[] {
  return (scopes ?? '').split(/\s+/).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
}
