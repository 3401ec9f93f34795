import { ScimStore } from '../../store';
import { createDynamoClients } from '../../store/clients';
import { buildRegistry, parseTenantScimConfig } from '../../scim/config';
import type { ProvisioningContext } from '../../provisioning';

/**
 * What the resource handlers need, created once per container and injectable for tests and the
 * local server: the provisioning context (store, schemas, tenant configuration).
 */
export type HandlerDeps = ProvisioningContext;

/** Builds the deps from a parsed config and a store. */
export function createDeps(store: ScimStore, configInput: unknown = {}): HandlerDeps {
  const config = parseTenantScimConfig(configInput);
  return { store, registry: buildRegistry(config), config };
}

/**
 * Reads the deployed function's environment: TABLE_NAME, SCIM_CONFIG (JSON of the tenant's SCIM
 * configuration) and, for DynamoDB Local, DYNAMODB_ENDPOINT.
 */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: env.DYNAMODB_ENDPOINT });
  const config = parseTenantScimConfig(env.SCIM_CONFIG ? JSON.parse(env.SCIM_CONFIG) : {});
  return createDeps(new ScimStore({ doc, tableName, sortedIndexes: config.sortedIndexes }), config);
}

/** Defers building deps to the first invocation, so importing a handler module has no side effects. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
