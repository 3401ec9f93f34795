import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC } from '../contracts/metricNames';
import { allow, createDeny, reportingFailures, type AuthorizerLogger, type AuthorizerMetrics, type Deny, type RequestAuthorizer } from './authorizerCore';
import { SCIM_ROUTE_PREFIX } from './buildPolicy';
import { SECRET_CACHE_TTL_MS } from './constants';
import { createCachedSecretReader } from './createCachedSecretReader';
import { findMatchingRecord, type ConstantTimeEqual } from './findMatchingRecord';
import { looksLikeJwt, type AccessTokenVerifier } from './oauth/accessToken';
import { clientStatus, secretStatus } from './oauth/oauthClient';
import { parseAuthorizationHeader } from './parseAuthorizationHeader';
import type { SecretSource } from './SecretSource';
import { parseToken, tokenId } from './token';
import { tokenStatus, type TokenSecret } from './tokenSecret';

/** The vocabulary every authorizer shares (authorizerCore.ts), where its importers have found it. */
export { UNAUTHORIZED, type AuthorizerContext, type AuthorizerLogger, type AuthorizerMetrics, type DenyReason, type RequestAuthorizer } from './authorizerCore';

/** Options of createAuthorizer. */
export interface CreateAuthorizerOptions {
  /** Where the token secret is read from. */
  readonly source: SecretSource;
  /** The tenant this API serves; tokens and the secret must name it. */
  readonly tenant: string;
  /** How long the secret is cached in the container, ms. @default SECRET_CACHE_TTL_MS */
  readonly cacheTtlMs?: number;
  /** How long a failed secret read is cached, ms. @default SECRET_ERROR_CACHE_TTL_MS */
  readonly errorCacheTtlMs?: number;
  /** @default no logging */
  readonly logger?: AuthorizerLogger;
  /** @default no metrics */
  readonly metrics?: AuthorizerMetrics;
  /** Clock, ms since epoch. @default Date.now */
  readonly now?: () => number;
  /** The constant-time comparison. @default crypto.timingSafeEqual */
  readonly equal?: ConstantTimeEqual;
  /** The SCIM routes' prefix in the API. @default SCIM_ROUTE_PREFIX ('scim/v2') */
  readonly routePrefix?: string;
  /**
   * Verifies OAuth access tokens (JWTs from POST /oauth2/token, issue 16).
   * @default - none: a JWT is refused as malformed (OAuth disabled)
   */
  readonly accessTokens?: AccessTokenVerifier;
  /**
   * The federated clients configured now: an access token of one that was removed is refused.
   * @default []
   */
  readonly federatedClientIds?: readonly string[];
}

/**
 * Creates the REQUEST authorizer: parses `Authorization: Bearer <token>` strictly, hashes the token
 * and compares it in constant time with every record of the (cached) secret, honours expiry and
 * revocation, and answers an Allow policy for the stage's SCIM routes the token's scopes permit,
 * with `{ tokenId, tenant, scopes }` as context. Everything else throws `Unauthorized` (401). A
 * secret that cannot be read or parsed denies every request (fail closed), logs an error and
 * counts AuthorizerSecretErrors and AuthorizerFailures; any other exception also counts
 * AuthorizerFailures (a denial never does). The token and its hash never reach a log line.
 */
export function createAuthorizer(options: CreateAuthorizerOptions): RequestAuthorizer {
  const now = options.now ?? Date.now;
  const { logger, metrics, tenant } = options;
  const readSecret = createCachedSecretReader({
    source: options.source,
    tenant,
    ttlMs: options.cacheTtlMs ?? SECRET_CACHE_TTL_MS,
    errorTtlMs: options.errorCacheTtlMs,
    now,
  });

  const deny: Deny = createDeny(logger, metrics);
  const routePrefix = options.routePrefix ?? SCIM_ROUTE_PREFIX;

  async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const header = parseAuthorizationHeader(event);
    if (!header.ok) deny(header.problem);
    const token = header.token;
    // Static tokens never contain '.', so the two kinds cannot be mistaken for each other.
    if (looksLikeJwt(token)) return authorizeAccessToken(token, event);
    const parsed = parseToken(token);
    if (!parsed) deny('malformed');
    const id = tokenId(token);
    // The tenant is part of the public token text, so rejecting early reveals nothing secret.
    if (parsed.tenant !== tenant) deny('wrongTenant', id);

    const secret = await readSecretOrDeny(id);
    const record = findMatchingRecord(token, secret.tokens, options.equal);
    if (!record) deny('unknownToken', id);
    const status = tokenStatus(record, now());
    if (status !== 'active') deny(status, id);

    const scopes = record.scopes.join(' ');
    return allow(event, { principalId: record.id, scopes: record.scopes, routePrefix, context: { tokenId: record.id, tenant, scopes, tokenLabel: record.label }, log: { tokenId: record.id, scopes } }, deny, logger, metrics);
  }

  async function readSecretOrDeny(id: string): Promise<TokenSecret> {
    try {
      return await readSecret();
    } catch (e) {
      // Name and message only: both are built by our sources and carry no secret content.
      logger?.error('token secret unusable: denying all requests until it is fixed', {
        source: options.source.description,
        errorName: e instanceof Error ? e.name : 'unknown',
        errorMessage: e instanceof Error ? e.message : String(e),
      });
      metrics?.addMetric(METRIC.authorizerSecretErrors, MetricUnit.Count, 1);
      metrics?.addMetric(METRIC.authorizerFailures, MetricUnit.Count, 1);
      deny('secretError', id);
    }
  }

  /**
   * An OAuth access token: signature, issuer, audience (this tenant), expiry and scopes by the
   * verifier (cached public key, no KMS call), then the client must still be active: a revoked
   * client, a revoked secret it was issued with, or a federated client removed from the
   * configuration stops its tokens within the revocation delay (secret cache + API Gateway cache).
   */
  async function authorizeAccessToken(token: string, event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    if (!options.accessTokens) deny('malformed');
    let verified: Awaited<ReturnType<AccessTokenVerifier>>;
    try {
      verified = await options.accessTokens(token);
    } catch (e) {
      logger?.warn('access token rejected', { errorName: e instanceof Error ? e.name : 'unknown', errorCode: (e as { code?: string }).code });
      deny('invalidAccessToken');
    }
    const id = verified.clientId;
    // What the change feed and audit name as the actor: the client's label, or the federated client id.
    let label = id;
    if (verified.method === 'federation') {
      if (!(options.federatedClientIds ?? []).includes(id)) deny('clientRevoked', id);
    } else {
      const secret = await readSecretOrDeny(id);
      const client = (secret.clients ?? []).find((c) => c.id === id);
      const t = now();
      if (!client || clientStatus(client, t) !== 'active') deny('clientRevoked', id);
      const issuedWith = client.secrets.find((s) => s.id === verified.secretId);
      // An expired secret no longer issues tokens, but those it issued live out their short life.
      if (!issuedWith || secretStatus(issuedWith, t) === 'revoked') deny('revoked', id);
      label = client.label;
    }
    const scopes = verified.scopes.join(' ');
    const context = { tokenId: id, tenant, scopes, tokenLabel: label, expiresAt: String(Math.floor(verified.expiresAt / 1000)) };
    return allow(event, { principalId: id, scopes: verified.scopes, routePrefix, context, log: { tokenId: id, scopes, auth: verified.method } }, deny, logger, metrics);
  }

  return reportingFailures(authorize, logger, metrics);
}
