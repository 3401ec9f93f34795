import { listResponse, type ListResponseBody } from '../listResponse';
import type { AttributeDefinition, SchemaDefinition, SchemaRegistry } from '../schema';
import { URN } from '../schema/urns';
import { trimBaseUrl } from './baseUrl';

/** One schema as /Schemas/{urn} answers it (RFC 7643 §7), URN matched case-insensitively. */
export function schemaDocument(registry: SchemaRegistry, baseUrl: string, urn: string): Record<string, unknown> | undefined {
  const schema = registry.schema(urn);
  return schema ? renderSchema(schema, trimBaseUrl(baseUrl)) : undefined;
}

/** All schemas (core, enterprise, custom extensions), as the ListResponse /Schemas answers (RFC 7644 §4). */
export function schemasDocument(registry: SchemaRegistry, baseUrl: string): ListResponseBody<Record<string, unknown>> {
  const base = trimBaseUrl(baseUrl);
  const resources = registry.schemas.map((s) => renderSchema(s, base));
  return listResponse({ resources, totalResults: resources.length, startIndex: 1 });
}

function renderSchema(schema: SchemaDefinition, base: string): Record<string, unknown> {
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    // The URN goes into the path as is: its colons are legal in a path segment (RFC 3986 pchar).
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

/** Every RFC 7643 §7 characteristic, always spelled out, so clients never guess defaults. */
export function renderAttribute(def: AttributeDefinition): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.canonicalValues && def.canonicalValues.length > 0 ? { canonicalValues: [...def.canonicalValues] } : {}),
    ...(def.type === 'reference' ? { referenceTypes: [...(def.referenceTypes ?? ['external'])] } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(renderAttribute) } : {}),
  };
}
