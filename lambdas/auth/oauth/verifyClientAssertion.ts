import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  CLOCK_SKEW_SECONDS,
  JWKS_CACHE_MAX_AGE_MS,
  JWKS_COOLDOWN_MS,
  JWKS_FETCH_TIMEOUT_MS,
  MAX_ASSERTION_BYTES,
  MAX_ASSERTION_LIFETIME_SECONDS,
} from './constants';
import { OAuthError } from './OAuthError';
import { federatedIssuers, federatedJwksUri, type FederatedClient } from './oauthConfig';

/** Options of createClientAssertionVerifier. */
export interface ClientAssertionVerifierOptions {
  /** The tenant's federated clients (OAUTH_CONFIG `federation`). */
  readonly clients: readonly FederatedClient[];
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
  /** Bound on one JWKS fetch, ms. @default JWKS_FETCH_TIMEOUT_MS */
  readonly fetchTimeoutMs?: number;
  /** Key sets by JWKS URI; tests may inject one. @default jose createRemoteJWKSet per URI */
  readonly keySet?: (jwksUri: string) => JWTVerifyGetKey;
}

/** Checks a `client_assertion` and returns the federated client it authenticates; throws OAuthError. */
export type ClientAssertionVerifier = (assertion: string, clientId: string | undefined) => Promise<FederatedClient>;

function invalidClient(reason: string, description = 'client assertion rejected', cause?: unknown): OAuthError {
  return new OAuthError('invalid_client', description, reason, { cause });
}

/**
 * Workload Identity Federation (RFC 7523 §2.2, §3; Microsoft's SCIM WIF set-up): the assertion is an
 * access token Entra issued to the tenant's service principal. Accepted only when
 * - it fits MAX_ASSERTION_BYTES and its header says RS256 (RFC 8725 §3.1: never `none`, never an
 *   HMAC that could be keyed with the issuer's public key) and carries no `crit` we do not know;
 * - the `kid` is in the issuer's JWKS (jose's remote key set: cached, refetched once per
 *   JWKS_COOLDOWN_MS on an unknown kid, each fetch bounded by the timeout);
 * - `iss` is the configured tenant's v2 (`<authority>/<tid>/v2.0`) or v1 (`https://sts.windows.net/<tid>/`)
 *   issuer, `aud` one of the configured audiences, `sub` the service principal, `tid` the tenant;
 * - `exp`, `nbf` and `iat` hold with CLOCK_SKEW_SECONDS of skew and exp - iat is at most
 *   MAX_ASSERTION_LIFETIME_SECONDS.
 * Every failure is `invalid_client` (RFC 7523 §3.2). An issuer whose JWKS cannot be fetched is our
 * outage, not the client's mistake: 503 temporarily_unavailable. An assertion may be presented
 * again within its lifetime (Entra caches its tokens and re-sends them), never after it.
 */
export function createClientAssertionVerifier(options: ClientAssertionVerifierOptions): ClientAssertionVerifier {
  const now = options.now ?? Date.now;
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySet = (uri: string): JWTVerifyGetKey => {
    let set = keySets.get(uri);
    if (!set) {
      set =
        options.keySet?.(uri) ??
        createRemoteJWKSet(new URL(uri), {
          timeoutDuration: options.fetchTimeoutMs ?? JWKS_FETCH_TIMEOUT_MS,
          cooldownDuration: JWKS_COOLDOWN_MS,
          cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
        });
      keySets.set(uri, set);
    }
    return set;
  };

  return async (assertion, clientId) => {
    if (Buffer.byteLength(assertion, 'utf8') > MAX_ASSERTION_BYTES) throw invalidClient('assertionTooLarge', `client_assertion exceeds ${MAX_ASSERTION_BYTES} bytes`);
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(assertion);
      unverified = decodeJwt(assertion);
    } catch (e) {
      throw invalidClient('assertionMalformed', 'client_assertion is not a signed JWT', e);
    }
    if (header.alg !== 'RS256') throw invalidClient('assertionAlg', 'client_assertion must be signed with RS256');
    const client = pickClient(options.clients, clientId, unverified);

    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(assertion, keySet(federatedJwksUri(client)), {
        algorithms: ['RS256'],
        issuer: federatedIssuers(client),
        audience: client.audience,
        subject: client.subject,
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: MAX_ASSERTION_LIFETIME_SECONDS,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'tid'],
        currentDate: new Date(now()),
      }));
    } catch (e) {
      throw mapJoseError(e);
    }
    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== client.entraTenantId.toLowerCase()) {
      throw invalidClient('assertionTenant');
    }
    if (payload.exp! - payload.iat! > MAX_ASSERTION_LIFETIME_SECONDS) throw invalidClient('assertionLifetime');
    return client;
  };
}

/**
 * The configured client the assertion claims to be: by `client_id` when sent (Entra sends its
 * federatedClientId), else the one entry whose `tid` and `sub` it names. Unverified claims only
 * select; jwtVerify then checks them all.
 */
function pickClient(clients: readonly FederatedClient[], clientId: string | undefined, claims: { sub?: unknown; tid?: unknown }): FederatedClient {
  if (clientId !== undefined) {
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) throw invalidClient('unknownClient', 'unknown client');
    return client;
  }
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined;
  const matches = clients.filter((c) => c.subject === claims.sub && c.entraTenantId.toLowerCase() === tid);
  if (matches.length !== 1) throw invalidClient('unknownClient', 'unknown client');
  return matches[0];
}

/** jose's verdicts are the client's problem (invalid_client); failing to reach the JWKS is ours (503). */
function mapJoseError(e: unknown): OAuthError {
  if (e instanceof errors.JWTExpired) return invalidClient('assertionExpired', 'client_assertion has expired', e);
  if (e instanceof errors.JWTClaimValidationFailed) return invalidClient(`assertionClaim:${e.claim}`, 'client_assertion claims do not match this client', e);
  if (e instanceof errors.JWKSNoMatchingKey) return invalidClient('assertionUnknownKid', 'client_assertion signed by an unknown key', e);
  if (e instanceof errors.JWSSignatureVerificationFailed) return invalidClient('assertionSignature', 'client_assertion signature is invalid', e);
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return invalidClient('assertionAlg', 'client_assertion uses an unsupported algorithm or header', e);
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid || e instanceof errors.JWKSMultipleMatchingKeys) {
    return invalidClient('assertionMalformed', 'client_assertion is malformed', e);
  }
  return new OAuthError('temporarily_unavailable', 'the assertion issuer\u2019s keys cannot be fetched; retry later', 'jwksUnavailable', { status: 503, cause: e });
}
