import { attribute, type AttributeDefinition } from './types';

/**
 * Attributes common to every resource (RFC 7643 §3.1): `id`, `externalId`, `meta`.
 * Not part of any schema's `attributes` in /Schemas, but validated, filtered and projected alike.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  attribute('id', {
    description: 'Unique identifier for the resource, assigned by the service provider.',
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', {
    description: "Identifier of the resource as defined by the provisioning client.",
    caseExact: true,
  }),
  attribute('meta', {
    description: 'Resource metadata.',
    mutability: 'readOnly',
    // Always returned, as `id` and `schemas` are: clients read `meta.version` (the ETag) and
    // `meta.location` from every answer, whatever `attributes` they asked for.
    returned: 'always',
    subAttributes: [
      attribute('resourceType', { mutability: 'readOnly', caseExact: true, description: 'Name of the resource type.' }),
      attribute('created', { type: 'dateTime', mutability: 'readOnly', description: 'When the resource was added.' }),
      attribute('lastModified', { type: 'dateTime', mutability: 'readOnly', description: 'When the resource was last updated.' }),
      attribute('location', { type: 'reference', referenceTypes: ['uri'], mutability: 'readOnly', caseExact: true, description: 'URI of the resource.' }),
      attribute('version', { mutability: 'readOnly', caseExact: true, description: 'Weak ETag of the resource version.' }),
    ],
  }),
];

/** Sub-attributes `type`, `primary`, `display`, `value` of RFC 7643 §2.4 multi-valued attributes. */
export function multiValuedSubAttributes(
  valueDescription: string,
  types: readonly string[],
  options: { valueType?: 'string' | 'reference' | 'binary'; referenceTypes?: readonly string[]; required?: boolean } = {},
): AttributeDefinition[] {
  return [
    attribute('value', {
      type: options.valueType ?? 'string',
      description: valueDescription,
      required: options.required ?? false,
      ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
    }),
    attribute('display', { description: 'A human-readable name, primarily used for display purposes.' }),
    attribute('type', { description: "A label indicating the attribute's function.", canonicalValues: types }),
    attribute('primary', { type: 'boolean', description: 'Indicates the primary or preferred value; at most one per attribute.' }),
  ];
}
