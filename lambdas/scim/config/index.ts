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
/** A deployed function's SCIM_CONFIG (checked in full at synth): defaults filled in, no zod. */
export { deployedScimConfig } from './deployedScimConfig';
/** Defaults and bounds shared by both. */
export { SCIM_CONFIG_DEFAULTS, MAX_PAGE_SIZE_LIMIT, MAX_MEMBERS_IN_RESPONSE_LIMIT, defaultPageSizeFor } from './scimConfigDefaults';
/** Builds the tenant's SchemaRegistry from its configuration. */
export { buildRegistry } from './buildRegistry';
