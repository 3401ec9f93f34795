import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { allow, createDeny, reportingFailures, type AuthorizerContext, type AuthorizerLogger, type Deny, type RequestAuthorizer } from './authorizerCore';
import { EVENTS_ROUTE } from './buildPolicy';
import { parseAuthorizationHeader } from './parseAuthorizationHeader';
import type { Scope } from './scopes';
import { hashToken, isValidTenant, parseToken, tokenIdFromHash } from './token';
import { createAccessTokenVerifier, looksLikeJwt, type PublicKeyLoader, type VerifiedAccessToken } from './oauth/accessToken';
import { clientStatus, secretStatus } from './oauth/oauthClient';
import { tenantOAuthConfig } from './oauth/oauthConfig';
import type { TokenSecret } from './tokenSecret';
import { poolUsageKey } from '../contracts/poolLimits';
import { SCIM_BASE, SCIM_BASE_PATH } from '../contracts/scimApi';

/** A pooled token record as the authorizer needs it (lambdas/store/PoolDirectory.ts stores it). */
export interface PoolCredential {
  readonly tenant: string;
  readonly id: string;
  /** Who the operator issued the token to: the change feed's and audit's actor label. */
  readonly label: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/** What the pooled authorizer reads: token records by hash, tenant status and OAuth settings. */
export interface PoolCredentialSource {
  tokenByHash(sha256Hex: string): Promise<PoolCredential | undefined>;
  getTenant(tenant: string): Promise<{ status: string; oauth?: unknown } | undefined>;
}

/** The pool's OAuth access tokens: one signing key for every tenant, each token bound to its tenant. */
export interface PoolAccessTokenOptions {
  /** The signer's kid (kmsKeyKid of the pool's key, the local key file's thumbprint). */
  readonly kid: string;
  /** Loads the public key once per container (kms:GetPublicKey). */
  readonly loadPublicKey: PublicKeyLoader;
  /** A tenant's OAuth clients (their secrets' states), cached: poolClients.ts createPoolClientReader. */
  readonly readClients: (tenant: string) => Promise<TokenSecret>;
}

/** Options of {@link createPoolAuthorizer}. */
export interface CreatePoolAuthorizerOptions {
  readonly source: PoolCredentialSource;
  /**
   * How long a token's or tenant's state is cached in the container, ms: revoking a token or
   * disabling a tenant takes effect within this plus API Gateway's authorizer cache TTL.
   * @default 30_000
   */
  readonly cacheTtlMs?: number;
  readonly logger?: AuthorizerLogger;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Accept the pool's OAuth access tokens (POST /t/<tenant>/oauth2/token).
   * @default - none: a JWT is refused as malformed
   */
  readonly accessTokens?: PoolAccessTokenOptions;
}

/** The pooled API's token endpoint of one tenant: `t/<tenant>/oauth2/token` (POST /oauth2/token of a silo stack). */
export function poolTokenRoute(tenant: string): string {
  return `t/${tenant}/oauth2/token`;
}

/** A pooled token endpoint path (`/t/<anything>/oauth2/token`), capturing the path segment that names the tenant. */
const POOL_TOKEN_PATH = /^\/t\/([^/]+)\/oauth2\/token\/?$/;

/** The tenant segment of a pooled token endpoint path (not validated: any segment routes there), or undefined. */
export function tenantSegmentOfPoolTokenPath(path: string): string | undefined {
  return POOL_TOKEN_PATH.exec(path)?.[1];
}

/** The pooled stack's SCIM route prefix for one tenant: `/t/<tenant>/scim/v2`. */
export function poolRoutePrefix(tenant: string): string {
  return `t/${tenant}/${SCIM_BASE_PATH}`;
}

/** The pooled API's pull route of one tenant: `t/<tenant>/events` (GET /events of a silo stack). */
export function poolEventsRoute(tenant: string): string {
  return `t/${tenant}/${EVENTS_ROUTE}`;
}

/** A pooled pull-API path (`/t/<tenant>/events`), capturing the tenant it names. */
const POOL_EVENTS_PATH = new RegExp(`^/t/([a-z0-9-]{1,40})/${EVENTS_ROUTE}/?$`, 'i');

/** The tenant a pooled `/t/<tenant>/events` path names, or undefined. */
export function tenantOfPoolEventsPath(path: string): string | undefined {
  return POOL_EVENTS_PATH.exec(path)?.[1];
}

/** A pooled SCIM path, capturing the tenant it names. */
const POOL_PATH = new RegExp(`^/t/([a-z0-9-]{1,40})${SCIM_BASE}(?:/|$)`, 'i');

/** The tenant a pooled path names (`/t/<tenant>/scim/v2/...`), or undefined. */
export function tenantOfPoolPath(path: string): string | undefined {
  return POOL_PATH.exec(path)?.[1];
}

/**
 * The pooled stack's REQUEST authorizer. The tenant always comes from the credential: the token
 * (`scim_<tenant>_...`) is found by its SHA-256 in the pool directory, must be active, and its
 * tenant must be active. The Allow policy covers only that tenant's routes
 * (`/t/<tenant>/scim/v2/*`), so a request of tenant A's token to tenant B's URL, or to a tenant
 * that does not exist, is answered 403 by API Gateway's policy check, the same answer whether B
 * exists or not and whether the policy came from API Gateway's cache or not: the URL never
 * decides the tenant, and tells nobody which tenants exist. Anything else is 401.
 */
export function createPoolAuthorizer(options: CreatePoolAuthorizerOptions): RequestAuthorizer {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 30_000;
  const tokens = new Map<string, { at: number; value: PoolCredential | undefined }>();
  const tenants = new Map<string, { at: number; value: { status: string; oauth?: unknown } | undefined }>();

  async function cached<T>(cache: Map<string, { at: number; value: T }>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.value;
    const value = await load();
    // Bounded: a flood of random tokens must not grow the container's memory without limit.
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, { at: now(), value });
    return value;
  }

  const deny: Deny = createDeny(options.logger);
  // One key for every tenant: loaded once per container, again only after a failed load.
  let key: ReturnType<PublicKeyLoader> | undefined;
  const publicKey: PublicKeyLoader = () =>
    (key ??= options.accessTokens!.loadPublicKey().catch((e: unknown) => {
      key = undefined;
      throw e;
    }));

  async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const header = parseAuthorizationHeader(event);
    if (!header.ok) deny(header.problem);
    // Static tokens never contain '.', so the two kinds cannot be mistaken for each other.
    if (looksLikeJwt(header.token)) return authorizeAccessToken(header.token, event);
    const parsed = parseToken(header.token);
    if (!parsed) deny('malformed');
    const sha = hashToken(header.token);
    const id = tokenIdFromHash(sha);
    const record = await cached(tokens, sha, () => options.source.tokenByHash(sha));
    if (!record || record.tenant !== parsed.tenant) deny('unknownToken', id);
    const at = now();
    if (record.revokedAt && Date.parse(record.revokedAt) <= at) deny('revoked', id);
    if (record.expiresAt && Date.parse(record.expiresAt) <= at) deny('expired', id);
    const tenant = await cached(tenants, record.tenant, () => options.source.getTenant(record.tenant));
    if (tenant?.status !== 'active') deny('tenantDisabled', id);
    const scopes = record.scopes as Scope[];
    return grant(event, record.tenant, record.id, scopes, { tokenId: record.id, tenant: record.tenant, scopes: scopes.join(' '), tokenLabel: record.label }, {});
  }

  /**
   * The Allow of a credential of `tenant`: only that tenant's routes (so the credential of A at
   * B's URL is answered 403 by API Gateway's policy check, exactly as at a tenant that does not
   * exist), metered under the tenant's usage key.
   */
  function grant(event: APIGatewayRequestAuthorizerEvent, tenant: string, principalId: string, scopes: Scope[], context: AuthorizerContext, log: Record<string, unknown>): APIGatewayAuthorizerResult {
    return allow(
      event,
      {
        principalId,
        scopes,
        routePrefix: poolRoutePrefix(tenant),
        eventsRoute: poolEventsRoute(tenant),
        context,
        log: { tokenId: principalId, tenant, scopes: context.scopes, ...log },
        // API Gateway usage plans throttle per API key: one key per tenant keeps one tenant's sync
        // from starving the others (the pooled stack's usage plan).
        usageIdentifierKey: poolUsageKey(tenant),
      },
      deny,
      options.logger,
    );
  }

  /**
   * An OAuth access token of the pool: its `tenant` claim names the tenant whose issuer and
   * audience the signature check then insists on (a token is bound to one tenant by what the
   * pool's key signed, never by the URL); that tenant must be active with OAuth on, and the client
   * (or its federation entry) and the secret that issued the token still active.
   */
  async function authorizeAccessToken(token: string, event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
    const oauth = options.accessTokens;
    if (!oauth) deny('malformed');
    let claimed: unknown;
    try {
      claimed = decodeJwt(token).tenant;
    } catch {
      deny('invalidAccessToken');
    }
    if (typeof claimed !== 'string' || !isValidTenant(claimed)) deny('invalidAccessToken');
    let verified: VerifiedAccessToken;
    try {
      verified = await createAccessTokenVerifier({ tenant: claimed, kid: oauth.kid, loadPublicKey: publicKey, now })(token);
    } catch (e) {
      options.logger?.warn('access token rejected', { errorName: e instanceof Error ? e.name : 'unknown', errorCode: (e as { code?: string }).code });
      deny('invalidAccessToken');
    }
    const id = verified.clientId;
    const tenant = await cached(tenants, verified.tenant, () => options.source.getTenant(verified.tenant));
    if (tenant?.status !== 'active') deny('tenantDisabled', id);
    const settings = tenantOAuthConfig(tenant);
    if (!settings.enabled) deny('clientRevoked', id);
    let label = id;
    if (verified.method === 'federation') {
      if (!settings.federation.some((f) => f.clientId === id)) deny('clientRevoked', id);
    } else {
      let clients: TokenSecret;
      try {
        clients = await oauth.readClients(verified.tenant);
      } catch (e) {
        options.logger?.error('OAuth clients unreadable: denying the tenant\'s access tokens', { tenant: verified.tenant, errorName: e instanceof Error ? e.name : 'unknown' });
        deny('secretError', id);
      }
      const client = (clients.clients ?? []).find((c) => c.id === id);
      const t = now();
      if (!client || clientStatus(client, t) !== 'active') deny('clientRevoked', id);
      const issuedWith = client.secrets.find((s) => s.id === verified.secretId);
      // An expired secret no longer issues tokens, but those it issued live out their short life.
      if (!issuedWith || secretStatus(issuedWith, t) === 'revoked') deny('revoked', id);
      label = client.label;
    }
    const scopes = [...verified.scopes];
    const context: AuthorizerContext = { tokenId: id, tenant: verified.tenant, scopes: scopes.join(' '), tokenLabel: label, expiresAt: String(Math.floor(verified.expiresAt / 1000)) };
    return grant(event, verified.tenant, id, scopes, context, { auth: verified.method });
  }

  return reportingFailures(authorize, options.logger);
}
