import { listResponse, type ListResponseBody } from '../listResponse';
import { COMMON_ATTRIBUTES, type AttributeDefinition, type SchemaDefinition, type SchemaRegistry } from '../schema';
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

/**
 * `externalId` is a common attribute (RFC 7643 §3.1), in no schema; but Entra's gallery
 * validation requires every attribute it maps, `externalId` included (mapped by default), to be
 * listed in /Schemas, so the core User and Group schemas list it with its characteristics.
 */
const EXTERNAL_ID = COMMON_ATTRIBUTES.find((a) => a.name === 'externalId')!;
const LISTS_EXTERNAL_ID = new Set([URN.user.toLowerCase(), URN.group.toLowerCase()]);

function renderSchema(schema: SchemaDefinition, base: string): Record<string, unknown> {
  const attributes = LISTS_EXTERNAL_ID.has(schema.id.toLowerCase()) && !schema.attributes.some((a) => a.name === EXTERNAL_ID.name) ? [EXTERNAL_ID, ...schema.attributes] : schema.attributes;
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: attributes.map(renderAttribute),
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
