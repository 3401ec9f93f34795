import type { AuthorizerLogger, AuthorizerMetrics } from '../auth/authorizerCore';
import { tenantSegmentOfPoolTokenPath } from '../auth/createPoolAuthorizer';
import type { AccessTokenSigner } from '../auth/oauth/accessToken';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createTokenEndpoint, type TokenEndpoint, type TokenEndpointRequest } from '../auth/oauth/createTokenEndpoint';
import { disabledOAuthConfig, tenantOAuthConfig } from '../auth/oauth/oauthConfig';
import { isValidTenant } from '../auth/token';
import { emptyTokenSecret } from '../auth/tokenSecret';
import type { PoolDirectory } from '../store/PoolDirectory';
import type { PoolClientReader } from './poolClients';

/** Options of {@link createPoolTokenEndpoint}. */
export interface PoolTokenEndpointOptions {
  readonly directory: Pick<PoolDirectory, 'getTenant'>;
  /** The tenants' OAuth clients, cached (createPoolClientReader). */
  readonly readClients: PoolClientReader;
  /** The pool's one signing key (KMS; the local key file). */
  readonly signer: AccessTokenSigner;
  /**
   * How long a tenant's record (status, OAuth settings) is trusted, ms: a federation entry removed
   * or OAuth turned off stops issuing within this bound. @default 60_000
   */
  readonly configTtlMs?: number;
  /** @default no logging */
  readonly logger?: AuthorizerLogger;
  /** @default no metrics */
  readonly metrics?: AuthorizerMetrics;
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
}

/** The pooled token endpoint: the request's path names the tenant. */
export type PoolTokenEndpoint = (request: TokenEndpointRequest & { readonly path?: string | null; readonly pathParameters?: Record<string, string | undefined> | null }) => Promise<APIGatewayProxyResult>;

/** Adds the tenant to every line the endpoint logs (in a pool's lines `tenant` is the metrics series). */
function withTenant(logger: AuthorizerLogger | undefined, tenant: string): AuthorizerLogger | undefined {
  if (!logger) return undefined;
  return {
    info: (message: string, extra?: Record<string, unknown>) => logger.info(message, { ...extra, requestTenant: tenant }),
    warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, { ...extra, requestTenant: tenant }),
    error: (message: string, extra?: Record<string, unknown>) => logger.error(message, { ...extra, requestTenant: tenant }),
  } as AuthorizerLogger;
}

/**
 * The pooled stack's `POST /t/<tenant>/oauth2/token`: the silo's token endpoint (client
 * credentials with a client secret, or an Entra assertion by Workload Identity Federation) for
 * the tenant the URL names, over that tenant's clients and OAuth settings from the table, signed
 * with the pool's key; the token's issuer, audience and `tenant` claim bind it to that tenant.
 * The route has no authorizer (the client authenticates in the body), so the URL may name a
 * tenant that does not exist, is disabled or has OAuth off: each is answered by an endpoint with
 * no client and no federation, so every credential is `invalid_client` exactly as a wrong secret
 * of an existing tenant is (same status, body and headers; the clients are read either way):
 * the endpoint never tells which tenants exist. One endpoint per tenant per container (its
 * failure counter included), at most 1,000, rebuilt after `configTtlMs`.
 */
export function createPoolTokenEndpoint(options: PoolTokenEndpointOptions): PoolTokenEndpoint {
  const ttl = options.configTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; endpoint: TokenEndpoint }>();

  async function endpointFor(segment: string): Promise<TokenEndpoint> {
    const hit = cache.get(segment);
    if (hit && now() - hit.at < ttl) return hit.endpoint;
    const valid = isValidTenant(segment);
    const record = valid ? await options.directory.getTenant(segment) : undefined;
    const settings = record ? tenantOAuthConfig(record) : disabledOAuthConfig();
    const serving = record?.status === 'active' && settings.enabled;
    const tenant = valid ? segment : '-';
    const endpoint = createTokenEndpoint({
      tenant,
      config: serving ? settings : disabledOAuthConfig(),
      readSecret: serving
        ? () => options.readClients(tenant)
        : async () => {
            // Read as a served tenant's would be, then ignore: a tenant not served has no client.
            if (valid) await options.readClients(tenant);
            return emptyTokenSecret(tenant);
          },
      signer: options.signer,
      logger: withTenant(options.logger, tenant),
      metrics: options.metrics,
      now,
    });
    if (cache.size >= 1_000) cache.delete(cache.keys().next().value as string);
    cache.set(segment, { at: now(), endpoint });
    return endpoint;
  }

  return async (request) => {
    // API Gateway's path parameter of /t/{tenant}/oauth2/token; the local server's path otherwise.
    const segment = request.pathParameters?.tenant ?? tenantSegmentOfPoolTokenPath(request.path ?? '') ?? '-';
    return (await endpointFor(segment))(request);
  };
}
