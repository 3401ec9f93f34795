import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ScimStore, type ScimStoreOptions } from '../store';
import { POOL_KEYS } from '../store/keys';
import type { PoolDirectory, PoolTenant } from '../store/PoolDirectory';
import { createDeps, type BulkDeps } from '../handlers/resources/deps';
import { scimErrorBody } from '../scim/errors';
import { tenantOfPoolPath } from '../auth/createPoolAuthorizer';

/** A Lambda proxy handler. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Options of {@link createPoolHandler} and createPoolFunctions. */
export interface PoolFunctionsOptions {
  readonly doc: ScimStoreOptions['doc'];
  readonly tableName: string;
  readonly directory: PoolDirectory;
  /**
   * How long a tenant's configuration is cached in the container, ms: a configuration change
   * reaches every function within this bound. @default 60_000
   */
  readonly configTtlMs?: number;
  /** The store's bound on resources a non-indexed filter examines. */
  readonly maxScanItems?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The 404 a request gets when its credential and its URL disagree: the same as for no such endpoint. */
function notHere(): APIGatewayProxyResult {
  return {
    statusCode: 404,
    headers: { 'Content-Type': 'application/scim+json; charset=utf-8' },
    body: JSON.stringify(scimErrorBody(404, 'No such SCIM endpoint')),
  };
}

/** Builds one SCIM function's handler from a tenant's deps (the silo handlers' factories fit; bulk's needs the full store) and its record (discovery reads its OAuth settings). */
export type TenantHandlerFactory = (deps: BulkDeps, record: PoolTenant) => ProxyHandler;

/**
 * One of the pooled stack's SCIM functions: `build` (a silo handler's factory) applied per tenant
 * over that tenant's key space (`<tenant>#`, keys.ts) and that tenant's configuration from the pool
 * directory, cached per container. The tenant is the authorizer's (from the credential); the URL's
 * `/t/<tenant>` must agree, which the authorizer's policy already guarantees on AWS and this checks
 * again (defence in depth: a 404 that says nothing about other tenants). Each Lambda entry point
 * (lambdas/handlers/pool/) builds only its own function, so its bundle holds only its own routes.
 */
export function createPoolHandler(options: PoolFunctionsOptions, build: TenantHandlerFactory): ProxyHandler {
  const ttl = options.configTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; handler: ProxyHandler }>();

  async function handlerFor(tenant: string): Promise<ProxyHandler | undefined> {
    const hit = cache.get(tenant);
    if (hit && now() - hit.at < ttl) return hit.handler;
    const record = await options.directory.getTenant(tenant);
    if (!record || record.status !== 'active') return undefined;
    const store = new ScimStore({
      doc: options.doc,
      tableName: options.tableName,
      keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant),
      maxScanItems: options.maxScanItems,
    });
    const handler = build(createDeps(store, record.config ?? {}), record);
    // Bounded: a container serving many tenants keeps the 1,000 most recently loaded.
    if (cache.size >= 1_000) cache.delete(cache.keys().next().value as string);
    cache.set(tenant, { at: now(), handler });
    return handler;
  }

  return async (event, context) => {
    const tenant = (event.requestContext?.authorizer as { tenant?: string } | null | undefined)?.tenant;
    if (!tenant || tenantOfPoolPath(event.path ?? '') !== tenant) return notHere();
    const handler = await handlerFor(tenant);
    if (!handler) return notHere();
    return handler(event, context);
  };
}
