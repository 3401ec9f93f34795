import { SchemaRegistry, type AttributeDefinition } from '../../lambdas/scim/schema';

/**
 * The core schemas plus one custom User extension of these attributes, as a tenant's
 * customExtensions declares it: what the tests that use it exercise is the attributes, not the
 * extension's name or description.
 */
export function registryWithUserExtension(id: string, attributes: readonly AttributeDefinition[]): SchemaRegistry {
  return new SchemaRegistry([{ resourceType: 'User', schema: { id, name: 'Test', description: 'A test extension', attributes } }]);
}
