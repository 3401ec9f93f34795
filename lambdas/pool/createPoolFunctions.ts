import { createUsersHandler } from '../handlers/users';
import { createGroupsHandler } from '../handlers/groups';
import { createDiscoveryHandler } from '../handlers/discovery';
import { createBulkHandler } from '../handlers/bulk';
import { createPoolHandler, type PoolFunctionsOptions, type ProxyHandler } from './createPoolHandler';

export type { PoolFunctionsOptions } from './createPoolHandler';

/** The four SCIM functions of a pooled stack, each serving every tenant. */
export interface PoolFunctions {
  readonly users: ProxyHandler;
  readonly groups: ProxyHandler;
  readonly discovery: ProxyHandler;
  readonly bulk: ProxyHandler;
}

/** The four SCIM functions of a pooled stack over one directory (the local server runs them in one process). */
export function createPoolFunctions(options: PoolFunctionsOptions): PoolFunctions {
  return {
    users: createPoolHandler(options, createUsersHandler),
    groups: createPoolHandler(options, createGroupsHandler),
    discovery: createPoolHandler(options, (deps) => createDiscoveryHandler({ config: deps.config, registry: deps.registry })),
    bulk: createPoolHandler(options, createBulkHandler),
  };
}
