import { createUsersHandler } from '../handlers/users';
import { createGroupsHandler } from '../handlers/groups';
import { createDiscoveryHandler } from '../handlers/discovery';
import { tenantOAuthConfig } from '../auth/oauth/oauthConfig';
import { createBulkHandler } from '../handlers/bulk';
import { createPoolEventsHandler } from './createPoolEventsHandler';
import type { EventLog } from '../store/eventLog';
import { createPoolHandler, type PoolFunctionsOptions, type ProxyHandler } from './createPoolHandler';

export type { PoolFunctionsOptions } from './createPoolHandler';

/** The four SCIM functions of a pooled stack, each serving every tenant, and GET /t/<tenant>/events. */
export interface PoolFunctions {
  readonly users: ProxyHandler;
  readonly groups: ProxyHandler;
  readonly discovery: ProxyHandler;
  readonly bulk: ProxyHandler;
  /** The change feed's pull API, when the pool runs a change feed (`eventLogFor`). */
  readonly events?: ProxyHandler;
}

/**
 * The four SCIM functions of a pooled stack over one directory (the local server runs them in one
 * process); with `eventLogFor` (createPoolFeed) also GET /t/<tenant>/events, which serves the
 * authorizer's tenant (the credential's) and answers 404 when the URL names another.
 */
export function createPoolFunctions(options: PoolFunctionsOptions & { readonly eventLogFor?: (tenant: string) => EventLog }): PoolFunctions {
  const pullEvents = options.eventLogFor ? createPoolEventsHandler(options.eventLogFor) : undefined;
  return {
    users: createPoolHandler(options, createUsersHandler),
    groups: createPoolHandler(options, createGroupsHandler),
    discovery: createPoolHandler(options, (deps, record) => createDiscoveryHandler({ config: deps.config, registry: deps.registry, oauthEnabled: tenantOAuthConfig(record).enabled })),
    bulk: createPoolHandler(options, createBulkHandler),
    ...(pullEvents ? { events: pullEvents } : {}),
  };
}
