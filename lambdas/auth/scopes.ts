/** The scopes a token can carry: inventory tools hold `scim:read`, provisioning IdPs both. */
export const SCOPES = ['scim:read', 'scim:write'] as const;

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
  if (m === 'GET' || m === 'HEAD') return 'scim:read';
  if (m === 'POST' && /\/\.search\/?$/.test(resourcePath)) return 'scim:read';
  return 'scim:write';
}

/** Parses the space-separated scope list the authorizer puts in its context. */
export function parseScopeList(scopes: string | undefined): Scope[] {
  return (scopes ?? '').split(/\s+/).filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
}
