/** Why a request carried no usable bearer token; used as the deny reason in logs and metrics. */
export type HeaderProblem = 'missing' | 'duplicate' | 'scheme' | 'malformed';

/** The bearer token, or why there is none. */
export type ParsedAuthorization = { ok: true; token: string } | { ok: false; problem: HeaderProblem };

/** The header maps of an API Gateway REQUEST authorizer or proxy event. */
export interface HeaderMaps {
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
}

/**
 * Extracts the bearer token from the Authorization header, strictly:
 * - header name case-insensitive (RFC 9110 §5.1); REST API events keep the client's spelling;
 * - more than one Authorization header (or differing spellings) -> `duplicate`: ambiguous, deny;
 * - scheme `Bearer` case-insensitive (RFC 9110 §11.1), then one or more spaces (RFC 7235 `1*SP`),
 *   then exactly one token68 (RFC 6750 §2.1); surrounding whitespace is trimmed (RFC 9110 OWS);
 * - anything else, a second token included, -> `malformed`. A token in the query string is never
 *   looked at (RFC 6750 §2.3 URIs end up in logs).
 */
export function parseAuthorizationHeader(event: HeaderMaps): ParsedAuthorization {
  const values: string[] = [];
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value !== undefined) values.push(value);
  }
  let multiCount = 0;
  for (const [name, list] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'authorization' && list) multiCount += list.length;
  }
  if (multiCount > 1 || values.length > 1) return { ok: false, problem: 'duplicate' };
  if (values.length === 0) return { ok: false, problem: 'missing' };

  const value = values[0].trim();
  if (value === '') return { ok: false, problem: 'missing' };
  const m = /^([A-Za-z]+)( +)(.*)$/.exec(value);
  if (!m || m[1].toLowerCase() !== 'bearer') {
    return { ok: false, problem: /^bearer$/i.test(value) ? 'malformed' : 'scheme' };
  }
  const token = m[3];
  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return { ok: false, problem: 'malformed' };
  return { ok: true, token };
}
