import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { AuthorizerLogger, AuthorizerMetrics } from '../createAuthorizer';
import type { Scope } from '../scopes';
import type { TokenSecret } from '../tokenSecret';
import { accessTokenClaims, signAccessToken, type AccessTokenSigner, type AccessTokenSubject } from './accessToken';
import { OAUTH_METRIC } from './constants';
import { createFailureLimiter, type FailureLimiter } from './createFailureLimiter';
import { OAuthError } from './OAuthError';
import { CLIENT_ID_PATTERN, clientStatus, matchClientSecret } from './oauthClient';
import type { OAuthConfig } from './oauthConfig';
import { parseTokenRequest, type ClientCredential, type TokenHttpRequest } from './parseTokenRequest';
import { createClientAssertionVerifier, type ClientAssertionVerifier } from './verifyClientAssertion';

/** The request as the endpoint reads it: the token request plus the caller's address. */
export interface TokenEndpointRequest extends TokenHttpRequest {
  readonly requestContext?: { readonly identity?: { readonly sourceIp?: string | null } };
}

/** Options of createTokenEndpoint. */
export interface TokenEndpointOptions {
  readonly tenant: string;
  /** The tenant's token secret (clients and their secret hashes), cached by the caller. */
  readonly readSecret: () => Promise<TokenSecret>;
  /** Signs access tokens (KMS, the local key file). */
  readonly signer: AccessTokenSigner;
  /** Lifetime and federated clients. */
  readonly config: OAuthConfig;
  /** @default createClientAssertionVerifier over config.federation */
  readonly assertions?: ClientAssertionVerifier;
  /** @default createFailureLimiter() */
  readonly limiter?: FailureLimiter;
  /** @default no logging */
  readonly logger?: AuthorizerLogger;
  /** @default no metrics */
  readonly metrics?: AuthorizerMetrics;
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
}

/** The token endpoint: an API Gateway proxy request in, an RFC 6749 §5.1/§5.2 response out; it never throws. */
export type TokenEndpoint = (request: TokenEndpointRequest) => Promise<APIGatewayProxyResult>;

/** RFC 6749 §5.1: token responses must not be cached. */
const NO_STORE = { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function errorResponse(e: OAuthError, retryAfter?: number): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...NO_STORE };
  // RFC 6749 §5.2: a 401 names the scheme to authenticate with.
  if (e.status === 401) headers['WWW-Authenticate'] = 'Basic realm="oauth2", error="invalid_client"';
  if (e.status === 405) headers.Allow = 'POST';
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  return { statusCode: e.status, headers, body: JSON.stringify({ error: e.code, error_description: e.description }) };
}

/**
 * Creates POST /oauth2/token for one tenant (RFC 6749 §4.4 client credentials): parses the
 * request (parseTokenRequest), authenticates the client by one of its active secrets (constant
 * time) or by an Entra assertion (Workload Identity Federation), narrows the scopes to those
 * requested (invalid_scope beyond the client's), and answers an RS256 access token signed by the
 * signer, valid `config.accessTokenMinutes`. Failed authentications count per client_id and
 * source IP; past the limit the caller gets 429 with Retry-After for the rest of the window.
 * A client's mistake is always a 4xx; our dependencies failing (secret, KMS, JWKS) a 503 with
 * Retry-After; nothing is a 500 and nothing secret reaches a log line.
 */
export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? createFailureLimiter({ now });
  const assertions = options.assertions ?? createClientAssertionVerifier({ clients: options.config.federation, now });
  const { logger, metrics, tenant } = options;
  const lifetimeSeconds = options.config.accessTokenMinutes * 60;

  async function authenticate(credential: ClientCredential): Promise<AccessTokenSubject> {
    if (credential.kind === 'assertion') {
      if (options.config.federation.length === 0) throw new OAuthError('invalid_client', 'this tenant accepts no client assertions', 'federationDisabled');
      const client = await assertions(credential.assertion, credential.clientId);
      return { tenant, clientId: client.clientId, scopes: client.scopes, method: 'federation' };
    }
    const unknown = () => new OAuthError('invalid_client', 'unknown client or wrong secret', 'badClientSecret');
    if (!CLIENT_ID_PATTERN.test(credential.clientId)) throw unknown();
    let secret: TokenSecret;
    try {
      secret = await options.readSecret();
    } catch (e) {
      logger?.error('token secret unusable: refusing token requests', { errorName: e instanceof Error ? e.name : 'unknown' });
      throw new OAuthError('temporarily_unavailable', 'the client registry is unavailable; retry later', 'secretError', { status: 503, cause: e });
    }
    const client = (secret.clients ?? []).find((c) => c.id === credential.clientId);
    if (!client) throw unknown();
    const t = now();
    const match = matchClientSecret(client, credential.secret, t);
    if (!match) throw unknown();
    if (clientStatus(client, t) !== 'active') throw new OAuthError('invalid_client', 'client is revoked', 'clientRevoked');
    return { tenant, clientId: client.id, scopes: client.scopes, method: 'client_secret', secretId: match.id };
  }

  function narrow(granted: readonly Scope[], requested: readonly Scope[] | undefined): Scope[] {
    if (requested === undefined) return [...granted];
    const extra = requested.filter((s) => !granted.includes(s));
    if (extra.length > 0) throw new OAuthError('invalid_scope', `this client may not request ${extra.join(' ')}`, 'scopeNotGranted');
    return [...requested];
  }

  async function handle(request: TokenEndpointRequest): Promise<APIGatewayProxyResult> {
    const ip = request.requestContext?.identity?.sourceIp ?? 'unknown';
    let limiterKey = `-|${ip}`;
    try {
      const parsed = parseTokenRequest(request);
      limiterKey = `${parsed.presentedClientId ?? '-'}|${ip}`;
      const wait = limiter.retryAfterSeconds(limiterKey);
      if (wait > 0) {
        const e = new OAuthError('temporarily_unavailable', 'too many failed client authentications; retry later', 'rateLimited');
        metrics?.addMetric(OAUTH_METRIC.denied, MetricUnit.Count, 1);
        metrics?.addMetadata('reason', e.reason);
        logger?.warn('token request refused', { reason: e.reason, clientId: parsed.presentedClientId });
        return errorResponse(e, wait);
      }
      let subject: AccessTokenSubject;
      try {
        subject = await authenticate(parsed.credential);
      } catch (e) {
        if (e instanceof OAuthError && e.code === 'invalid_client') limiter.fail(limiterKey);
        throw e;
      }
      const scopes = narrow(subject.scopes, parsed.scopes);
      const granted = { ...subject, scopes };
      let token: string;
      try {
        token = await signAccessToken(options.signer, accessTokenClaims(granted, now(), lifetimeSeconds));
      } catch (e) {
        throw new OAuthError('temporarily_unavailable', 'tokens cannot be signed right now; retry later', 'signError', { status: 503, cause: e });
      }
      metrics?.addMetric(OAUTH_METRIC.issued, MetricUnit.Count, 1);
      logger?.info('access token issued', { clientId: granted.clientId, method: granted.method, scopes: scopes.join(' '), secretId: granted.secretId });
      return {
        statusCode: 200,
        headers: { ...NO_STORE },
        body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, scope: scopes.join(' ') }),
      };
    } catch (e) {
      const error =
        e instanceof OAuthError ? e : new OAuthError('temporarily_unavailable', 'the token endpoint failed; retry later', 'unexpected', { status: 503, cause: e });
      if (error.status >= 500) {
        metrics?.addMetric(OAUTH_METRIC.errors, MetricUnit.Count, 1);
        const cause = error.cause ?? e;
        logger?.error('token request failed on our side', {
          reason: error.reason,
          errorName: cause instanceof Error ? cause.name : 'unknown',
          errorMessage: cause instanceof Error ? cause.message : String(cause),
        });
        return errorResponse(error, 1);
      }
      metrics?.addMetric(OAUTH_METRIC.denied, MetricUnit.Count, 1);
      metrics?.addMetadata('reason', error.reason);
      logger?.warn('token request refused', { reason: error.reason, code: error.code });
      return errorResponse(error);
    }
  }

  return async (request) => {
    try {
      return await handle(request);
    } finally {
      metrics?.publishStoredMetrics();
    }
  };
}
