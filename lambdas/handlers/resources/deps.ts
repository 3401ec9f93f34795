import { ScimRequestStore, ScimStore, type ScimStoreOptions } from '../../store';
import { createDynamoClients } from '../../store/clients';
import { buildRegistry, deployedScimConfig, parseTenantScimConfig, type TenantScimConfig } from '../../scim/config';
import type { ProvisioningContext } from '../../provisioning';

/**
 * What the resource handlers need, created once per container and injectable for tests and the
 * local server: the provisioning context (store, schemas, tenant configuration).
 */
export type HandlerDeps = ProvisioningContext;

/** The bulk function's deps: the full store, whose rollback journals an all-or-nothing BulkRequest writes. */
export type BulkDeps = HandlerDeps & { readonly store: ScimStore };

/** Builds the deps from a configuration (checked in full with parseTenantScimConfig) and a store. */
export function createDeps<S extends ScimRequestStore>(store: S, configInput: unknown = {}): HandlerDeps & { readonly store: S } {
  return depsOf(store, parseTenantScimConfig(configInput));
}

function depsOf<S extends ScimRequestStore>(store: S, config: TenantScimConfig): HandlerDeps & { readonly store: S } {
  return { store, registry: buildRegistry(config), config };
}

/**
 * Reads the deployed function's environment: TABLE_NAME, SCIM_CONFIG (JSON of the tenant's SCIM
 * configuration, checked in full at synth: deployedScimConfig) and, for DynamoDB Local, DYNAMODB_ENDPOINT.
 */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  return envDeps(env, (opts) => new ScimRequestStore(opts));
}

/** {@link depsFromEnv} with the full store (the bulk function). */
export function bulkDepsFromEnv(env: NodeJS.ProcessEnv = process.env): BulkDeps {
  return envDeps(env, (opts) => new ScimStore(opts));
}

function envDeps<S extends ScimRequestStore>(env: NodeJS.ProcessEnv, store: (opts: ScimStoreOptions) => S): HandlerDeps & { readonly store: S } {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: env.DYNAMODB_ENDPOINT });
  const config = deployedScimConfig(env.SCIM_CONFIG ? JSON.parse(env.SCIM_CONFIG) : {});
  return depsOf(store({ doc, tableName, sortedIndexes: config.sortedIndexes }), config);
}

/** Defers building deps to the first invocation, so importing a handler module has no side effects. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
