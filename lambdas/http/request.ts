import { ScimError } from '../scim/errors';
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
  const i = path.toLowerCase().indexOf('/scim/v2');
  const rest = i >= 0 ? path.slice(i + '/scim/v2'.length) : path;
  const trimmed = rest.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * The absolute SCIM base URL the client used, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod/scim/v2`,
 * for `meta.location` and `Location` headers (RFC 7644 §3.1).
 */
export function baseUrl(event: ScimEvent): string {
  const proto = header(event, 'x-forwarded-proto') ?? 'https';
  const host = event.requestContext?.domainName ?? header(event, 'host') ?? 'localhost';
  // requestContext.path carries the stage (`/prod/scim/v2/Users`); event.path does not.
  const fullPath = event.requestContext?.path ?? event.path ?? '';
  const i = fullPath.toLowerCase().indexOf('/scim/v2');
  const prefix = i >= 0 ? fullPath.slice(0, i) : '';
  return `${proto}://${host}${prefix}/scim/v2`;
}

/** The authorizer's context (token id, tenant, scopes) as API Gateway passes it. */
export function authorizerContext(event: ScimEvent): AuthorizerContext {
  return (event.requestContext?.authorizer ?? {}) as AuthorizerContext;
}

/** Parses a non-negative integer query parameter; RFC 7644 §3.4.2.4 leniency for values below 1 is the caller's. */
export function intParam(event: ScimEvent, name: string): number | undefined {
  const raw = queryParam(event, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw ScimError.badRequest('invalidValue', `Query parameter ${name} must be an integer, got "${raw.slice(0, 40)}"`);
  return Number(raw.trim());
}
