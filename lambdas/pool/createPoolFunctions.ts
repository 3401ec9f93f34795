import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ScimStore, type ScimStoreOptions } from '../store';
import { POOL_KEYS } from '../store/keys';
import type { PoolDirectory } from '../store/PoolDirectory';
import { createDeps, type HandlerDeps } from '../handlers/resources/deps';
import { createUsersHandler } from '../handlers/users';
import { createGroupsHandler } from '../handlers/groups';
import { createDiscoveryHandler } from '../handlers/discovery';
import { createBulkHandler } from '../handlers/bulk';
import { scimErrorBody } from '../scim/errors';
import { tenantOfPoolPath } from '../auth/createPoolAuthorizer';

/** A Lambda proxy handler. */
type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The four SCIM functions of a pooled stack, each serving every tenant. */
export interface PoolFunctions {
  readonly users: ProxyHandler;
  readonly groups: ProxyHandler;
  readonly discovery: ProxyHandler;
  readonly bulk: ProxyHandler;
}

/** Options of {@link createPoolFunctions}. */
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

type TenantHandlers = { at: number; handlers: Record<keyof PoolFunctions, ProxyHandler> };

/** The 404 a request gets when its credential and its URL disagree: the same as for no such endpoint. */
function notHere(): APIGatewayProxyResult {
  return {
    statusCode: 404,
    headers: { 'Content-Type': 'application/scim+json; charset=utf-8' },
    body: JSON.stringify(scimErrorBody(404, 'No such SCIM endpoint')),
  };
}

/**
 * The pooled stack's SCIM functions: the same handlers as a silo stack's, built per tenant over
 * that tenant's key space (`<tenant>#`, keys.ts) and that tenant's configuration from the pool
 * directory, cached per container. The tenant is the authorizer's (from the credential); the URL's
 * `/t/<tenant>` must agree, which the authorizer's policy already guarantees on AWS and this checks
 * again (defence in depth: a 404 that says nothing about other tenants).
 */
export function createPoolFunctions(options: PoolFunctionsOptions): PoolFunctions {
  const ttl = options.configTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, TenantHandlers>();

  async function handlersFor(tenant: string): Promise<TenantHandlers['handlers'] | undefined> {
    const hit = cache.get(tenant);
    if (hit && now() - hit.at < ttl) return hit.handlers;
    const record = await options.directory.getTenant(tenant);
    if (!record || record.status !== 'active') return undefined;
    const store = new ScimStore({
      doc: options.doc,
      tableName: options.tableName,
      keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant),
      maxScanItems: options.maxScanItems,
    });
    const deps: HandlerDeps = createDeps(store, record.config ?? {});
    const handlers = {
      users: createUsersHandler(deps),
      groups: createGroupsHandler(deps),
      discovery: createDiscoveryHandler({ config: deps.config, registry: deps.registry }),
      bulk: createBulkHandler(deps),
    };
    if (cache.size >= 1_000) cache.delete(cache.keys().next().value as string);
    cache.set(tenant, { at: now(), handlers });
    return handlers;
  }

  const dispatch =
    (fn: keyof PoolFunctions): ProxyHandler =>
    async (event, context) => {
      const tenant = (event.requestContext?.authorizer as { tenant?: string } | null | undefined)?.tenant;
      if (!tenant || tenantOfPoolPath(event.path ?? '') !== tenant) return notHere();
      const handlers = await handlersFor(tenant);
      if (!handlers) return notHere();
      return handlers[fn](event, context);
    };

  return { users: dispatch('users'), groups: dispatch('groups'), discovery: dispatch('discovery'), bulk: dispatch('bulk') };
}
