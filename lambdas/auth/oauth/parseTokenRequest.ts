import { SCOPES, type Scope } from '../scopes';
import { JWT_BEARER_ASSERTION_TYPE, MAX_TOKEN_REQUEST_BYTES } from './constants';
import { OAuthError } from './OAuthError';

/** The parts of an API Gateway proxy event the token endpoint reads. */
export interface TokenHttpRequest {
  readonly httpMethod: string;
  readonly headers?: Record<string, string | undefined> | null;
  readonly multiValueHeaders?: Record<string, string[] | undefined> | null;
  readonly body: string | null;
  readonly isBase64Encoded?: boolean;
}

/** How the client authenticates (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export type ClientCredential =
  | { readonly kind: 'secret'; readonly method: 'client_secret_basic' | 'client_secret_post'; readonly clientId: string; readonly secret: string }
  | { readonly kind: 'assertion'; readonly clientId?: string; readonly assertion: string };

/** A well-formed client credentials request. */
export interface TokenRequest {
  readonly grantType: 'client_credentials';
  readonly credential: ClientCredential;
  /** Requested scopes; undefined when `scope` was omitted (then the client's own scopes apply). */
  readonly scopes?: readonly Scope[];
  /** The client_id as presented (for the failure counter), if any. */
  readonly presentedClientId?: string;
}

/** Longest client_id / client_secret accepted; ours are far shorter, Entra's federatedClientId a GUID. */
const MAX_CREDENTIAL_LENGTH = 256;

/** RFC 6749 Appendix A: VSCHAR / NQSCHAR sets for client_id, client_secret and scope tokens. */
const VSCHAR = /^[\x20-\x7e]*$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Request headers by lower-cased name, with every value (to detect duplicates). */
function headerValues(req: TokenHttpRequest, name: string): string[] {
  const values: string[] = [];
  const multi = Object.entries(req.multiValueHeaders ?? {}).filter(([k]) => k.toLowerCase() === name);
  if (multi.length > 0) {
    for (const [, list] of multi) values.push(...(list ?? []));
    return values;
  }
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === name && v !== undefined) values.push(v);
  return values;
}

function invalidRequest(description: string, reason: string): OAuthError {
  return new OAuthError('invalid_request', description, reason);
}

/** Decodes one `application/x-www-form-urlencoded` component (RFC 6749 Appendix B): `+` is a space. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/**
 * Parses the form body: each parameter at most once (RFC 6749 §3.2), empty ones treated as omitted
 * (§3.1). Throws invalid_request for bad percent-encoding.
 */
function parseForm(body: string): Map<string, string> {
  const params = new Map<string, string>();
  if (body === '') return params;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = formDecode(eq === -1 ? pair : pair.slice(0, eq));
      value = eq === -1 ? '' : formDecode(pair.slice(eq + 1));
    } catch {
      throw invalidRequest('the body is not valid application/x-www-form-urlencoded', 'badEncoding');
    }
    if (params.has(name)) throw invalidRequest(`parameter ${safeName(name)} is repeated`, 'repeatedParameter');
    params.set(name, value);
  }
  for (const [name, value] of params) if (value === '') params.delete(name);
  return params;
}

/** A parameter name fit for an error_description (RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E). */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : '(unnamed)';
}

/** The client id and secret of `Authorization: Basic` (RFC 6749 §2.3.1: each form-encoded, then Base64). */
function parseBasic(value: string): { clientId: string; secret: string } {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(value.trim());
  if (!m) throw new OAuthError('invalid_client', 'malformed Basic credentials', 'basicMalformed');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new OAuthError('invalid_client', 'malformed Basic credentials', 'basicMalformed');
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError('invalid_client', 'malformed Basic credentials', 'basicMalformed');
  }
}

function checkCredentialText(value: string, what: string): void {
  if (value.length > MAX_CREDENTIAL_LENGTH || !VSCHAR.test(value)) {
    throw new OAuthError('invalid_client', `${what} is not acceptable`, 'credentialMalformed');
  }
}

/** Parses `scope` (RFC 6749 §3.3: space-delimited, case-sensitive); unknown scopes are invalid_scope. */
function parseScopeParam(text: string): Scope[] {
  const parts = text.split(' ').filter((p) => p !== '');
  const scopes: Scope[] = [];
  for (const part of parts) {
    if (!SCOPE_TOKEN.test(part) || !(SCOPES as readonly string[]).includes(part)) {
      throw new OAuthError('invalid_scope', `unknown scope; this server grants ${SCOPES.join(', ')}`, 'unknownScope');
    }
    if (!scopes.includes(part as Scope)) scopes.push(part as Scope);
  }
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'scope is empty', 'emptyScope');
  return scopes;
}

/**
 * Parses a token request strictly (RFC 6749 §3.2, §4.4.2, §2.3; RFC 7523 §2.2), throwing
 * OAuthError: POST only; `Content-Type: application/x-www-form-urlencoded` (any charset
 * parameter; anything else, JSON included, is invalid_request); a body of at most
 * MAX_TOKEN_REQUEST_BYTES; no parameter twice; `grant_type=client_credentials`
 * (unsupported_grant_type otherwise); exactly one client authentication method (§2.3: "MUST NOT
 * use more than one"): Basic, `client_secret` in the body, or a jwt-bearer `client_assertion`;
 * none at all is invalid_client. Parameters in the query string are never read (§3.2: the
 * credentials would end up in logs).
 */
export function parseTokenRequest(req: TokenHttpRequest): TokenRequest {
  if (req.httpMethod.toUpperCase() !== 'POST') {
    throw new OAuthError('invalid_request', 'the token endpoint accepts POST only', 'method', { status: 405 });
  }
  const contentTypes = headerValues(req, 'content-type');
  if (contentTypes.length !== 1 || contentTypes[0].split(';')[0].trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    throw invalidRequest('Content-Type must be application/x-www-form-urlencoded', 'contentType');
  }
  const raw = req.body ?? '';
  const body = req.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > MAX_TOKEN_REQUEST_BYTES) throw invalidRequest(`the request body exceeds ${MAX_TOKEN_REQUEST_BYTES} bytes`, 'tooLarge');
  const text = body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(body)) throw invalidRequest('the body is not UTF-8', 'badEncoding');
  const params = parseForm(text);

  const grantType = params.get('grant_type');
  if (grantType === undefined) throw invalidRequest('grant_type is required', 'missingGrantType');
  if (grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported', 'unsupportedGrantType');
  }

  const authorization = headerValues(req, 'authorization');
  if (authorization.length > 1) throw invalidRequest('more than one Authorization header', 'repeatedAuthorization');
  const bodyClientId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  const assertionType = params.get('client_assertion_type');
  const methods = [authorization.length === 1, bodySecret !== undefined, assertion !== undefined || assertionType !== undefined].filter(Boolean).length;
  if (methods > 1) throw invalidRequest('use exactly one client authentication method', 'multipleAuthMethods');
  if (bodyClientId !== undefined) checkCredentialText(bodyClientId, 'client_id');

  let credential: ClientCredential;
  if (authorization.length === 1) {
    const basic = parseBasic(authorization[0]);
    checkCredentialText(basic.clientId, 'client_id');
    checkCredentialText(basic.secret, 'client_secret');
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId) throw invalidRequest('client_id differs from the Basic credentials', 'clientIdMismatch');
    credential = { kind: 'secret', method: 'client_secret_basic', clientId: basic.clientId, secret: basic.secret };
  } else if (bodySecret !== undefined) {
    if (bodyClientId === undefined) throw invalidRequest('client_id is required with client_secret', 'missingClientId');
    checkCredentialText(bodySecret, 'client_secret');
    credential = { kind: 'secret', method: 'client_secret_post', clientId: bodyClientId, secret: bodySecret };
  } else if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType === undefined) throw invalidRequest('client_assertion_type is required with client_assertion', 'missingAssertionType');
    if (assertion === undefined) throw invalidRequest('client_assertion is required with client_assertion_type', 'missingAssertion');
    // RFC 6749 §5.2: an authentication method we do not support is invalid_client.
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`, 'assertionType');
    credential = { kind: 'assertion', assertion, ...(bodyClientId !== undefined ? { clientId: bodyClientId } : {}) };
  } else {
    throw new OAuthError('invalid_client', 'client authentication is required (Basic, client_secret or client_assertion)', 'noClientAuth');
  }
  const scope = params.get('scope');
  const presentedClientId = credential.kind === 'secret' ? credential.clientId : credential.clientId;
  return {
    grantType,
    credential,
    ...(scope !== undefined ? { scopes: parseScopeParam(scope) } : {}),
    ...(presentedClientId !== undefined ? { presentedClientId } : {}),
  };
}
