import { SchemaRegistry, attribute, type AttributeDefinition, type CustomExtension } from '../schema';
import type { AttributeSpec, TenantScimConfig } from './tenantScimConfig';

/** Builds the tenant's SchemaRegistry: the RFC 7643 core plus the configured custom extensions. */
export function buildRegistry(config: Pick<TenantScimConfig, 'customExtensions'>): SchemaRegistry {
  const extensions: CustomExtension[] = (config.customExtensions ?? []).map((e) => ({
    resourceType: e.resourceType,
    required: e.required ?? false,
    schema: {
      id: e.schema.id,
      name: e.schema.name,
      description: e.schema.description ?? '',
      attributes: e.schema.attributes.map(toDefinition),
    },
  }));
  return new SchemaRegistry(extensions);
}

/** An attribute spec with RFC 7643 §2.2 defaults filled in. */
function toDefinition(spec: AttributeSpec): AttributeDefinition {
  const { name, subAttributes, type, ...rest } = spec;
  return attribute(name, {
    ...rest,
    ...(type && type !== 'complex' ? { type } : {}),
    ...(subAttributes ? { subAttributes: subAttributes.map((s) => toDefinition(s)) } : {}),
  });
}
