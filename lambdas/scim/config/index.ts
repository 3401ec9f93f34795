/** The tenant's SCIM configuration and the registry built from it. */
/** The zod schemas of the configuration, their types, and the parser that reports every problem. */
export {
  tenantScimConfigSchemas,
  parseTenantScimConfig,
  type TenantScimConfig,
  type TenantScimConfigInput,
  type CustomExtensionSpec,
  type AttributeSpec,
} from './tenantScimConfig';
/** Builds the tenant's SchemaRegistry from its configuration. */
export { buildRegistry } from './buildRegistry';
