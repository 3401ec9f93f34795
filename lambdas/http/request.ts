import { SCIM_BASE } from '../contracts/scimApi';
import type { AuthorizerContext, ScimEvent } from './types';

/** A header value, name matched case-insensitively (API Gateway keeps the client's case). */
export function header(event: ScimEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) {
    if (k.toLowerCase() === lower && v !== undefined && v !== null) return v;
  }
  return undefined;
}

/**
 * A query parameter, name matched case-insensitively: RFC 7644 names them in camelCase but
 * clients differ (`startindex`, `Count`). Unknown parameters (Entra's `?aadOptscim062020`) are ignored.
 */
export function queryParam(event: ScimEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    if (k.toLowerCase() === lower && v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** The path below `/scim/v2`, e.g. `/Users/123`; the stage and base path are stripped. */
export function scimPath(event: ScimEvent): string {
  const path = event.path ?? '/';
  const i = path.toLowerCase().indexOf(SCIM_BASE);
  const rest = i >= 0 ? path.slice(i + SCIM_BASE.length) : path;
  const trimmed = rest.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** `host` or `host:port`: a DNS name, an IPv4 address or a bracketed IPv6 address (RFC 3986 §3.2.2). */
const AUTHORITY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A stage or base-path prefix as API Gateway reports it: path segments of unreserved characters. */
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

/** Hosts only the local server reports: it serves plain HTTP on loopback. */
const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?$/i;

/** True for a syntactically valid `Host` header value (RFC 9110 §7.2, RFC 3986 §3.2.2). */
export function isValidAuthority(value: string): boolean {
  return value.length <= 261 && AUTHORITY.test(value);
}

/**
 * The absolute SCIM base URL for `meta.location`, `Location` and `$ref` (RFC 7644 §3.1), e.g.
 * `https://abc.execute-api.eu-west-1.amazonaws.com/prod/scim/v2`. Built from what the deployment
 * says, never from client headers: the `SCIM_PUBLIC_BASE_URL` the stack configures, else the
 * domain and stage (or base-path mapping) API Gateway reports in `requestContext`. A client's `Host`
 * or `X-Forwarded-Proto` would let it plant links to a host it controls in resources other clients
 * read (a stored `$ref` an IdP follows with its token). Always https, except the loopback domain
 * only the local server reports.
 */
export function baseUrl(event: ScimEvent): string {
  const configured = process.env.SCIM_PUBLIC_BASE_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const domain = event.requestContext?.domainName;
  // requestContext.path carries the stage (`/prod/scim/v2/Users`) or the base-path mapping; event.path does not.
  const fullPath = event.requestContext?.path ?? '';
  const i = fullPath.toLowerCase().indexOf(SCIM_BASE);
  const prefix = i >= 0 ? fullPath.slice(0, i) : '';
  if (!domain || !isValidAuthority(domain) || !PREFIX.test(prefix)) {
    // Not a client error: the gateway (or a test's event) did not say where the API lives.
    throw new Error('requestContext.domainName/path do not name the API; set SCIM_PUBLIC_BASE_URL');
  }
  const scheme = LOOPBACK.test(domain) ? 'http' : 'https';
  return `${scheme}://${domain}${prefix}${SCIM_BASE}`;
}

/** The authorizer's context (token id, tenant, scopes) as API Gateway passes it. */
export function authorizerContext(event: ScimEvent): AuthorizerContext {
  return (event.requestContext?.authorizer ?? {}) as AuthorizerContext;
}
