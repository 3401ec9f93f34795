import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { allow, createDeny, reportingFailures, type AuthorizerContext, type AuthorizerLogger, type Deny, type RequestAuthorizer } from './authorizerCore';
import { EVENTS_ROUTE } from './buildPolicy';
import { parseAuthorizationHeader } from './parseAuthorizationHeader';
import type { Scope } from './scopes';
import { hashToken, parseToken, tokenIdFromHash } from './token';
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

/** What the pooled authorizer reads: token records by hash and tenant status. */
export interface PoolCredentialSource {
  tokenByHash(sha256Hex: string): Promise<PoolCredential | undefined>;
  getTenant(tenant: string): Promise<{ status: string } | undefined>;
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
  const tenants = new Map<string, { at: number; value: { status: string } | undefined }>();

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

  return reportingFailures(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const header = parseAuthorizationHeader(event);
    if (!header.ok) deny(header.problem);
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
    const context: AuthorizerContext = { tokenId: record.id, tenant: record.tenant, scopes: scopes.join(' '), tokenLabel: record.label };
    return allow(
      event,
      {
        principalId: record.id,
        scopes,
        routePrefix: poolRoutePrefix(record.tenant),
        eventsRoute: poolEventsRoute(record.tenant),
        context,
        log: { tokenId: record.id, tenant: record.tenant, scopes: context.scopes },
        // API Gateway usage plans throttle per API key: one key per tenant keeps one tenant's sync
        // from starving the others (the pooled stack's usage plan).
        usageIdentifierKey: poolUsageKey(record.tenant),
      },
      deny,
      options.logger,
    );
  }, options.logger);
}
