import { listResponse, type ListResponseBody } from '../listResponse';
import type { ResourceTypeDefinition, SchemaRegistry } from '../schema';
import { URN } from '../schema/urns';
import { trimBaseUrl } from './baseUrl';

/** One resource type as /ResourceTypes/{id} answers it (RFC 7643 §6). */
export function resourceTypeDocument(registry: SchemaRegistry, baseUrl: string, id: string): Record<string, unknown> | undefined {
  const type = registry.resourceType(id);
  return type ? render(type, trimBaseUrl(baseUrl)) : undefined;
}

/** All resource types, as the ListResponse /ResourceTypes answers (RFC 7644 §4). */
export function resourceTypesDocument(registry: SchemaRegistry, baseUrl: string): ListResponseBody<Record<string, unknown>> {
  const base = trimBaseUrl(baseUrl);
  const resources = registry.resourceTypes.map((t) => render(t, base));
  return listResponse({ resources, totalResults: resources.length, startIndex: 1 });
}

function render(type: ResourceTypeDefinition, base: string): Record<string, unknown> {
  return {
    schemas: [URN.resourceType],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema,
    schemaExtensions: type.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${type.id}` },
  };
}
