/** RFC 7643 §7 attribute data types. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

/** RFC 7643 §7 mutability. */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

/** RFC 7643 §7 `returned`. */
export type Returned = 'always' | 'never' | 'default' | 'request';

/** RFC 7643 §7 uniqueness. */
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute of a schema with its RFC 7643 §7 characteristics, all filled in. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** A schema (RFC 7643 §7): core or extension. */
export interface SchemaDefinition {
  /** The schema URN, e.g. urn:ietf:params:scim:schemas:core:2.0:User */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** A resource type (RFC 7643 §6). */
export interface ResourceTypeDefinition {
  /** "User" or "Group". */
  readonly id: string;
  readonly name: string;
  /** e.g. "/Users" */
  readonly endpoint: string;
  readonly description: string;
  /** Core schema URN. */
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
}

/** Partial characteristics accepted by {@link attribute}; RFC 7643 §2.2 defaults fill the rest. */
export type AttributeInput = Partial<Omit<AttributeDefinition, 'name' | 'subAttributes'>> & {
  readonly subAttributes?: readonly AttributeDefinition[];
};

/**
 * Builds an attribute with RFC 7643 §2.2 defaults: string, single-valued, optional,
 * caseExact false, readWrite, returned default, uniqueness none.
 */
export function attribute(name: string, input: AttributeInput = {}): AttributeDefinition {
  return {
    name,
    type: input.subAttributes ? 'complex' : (input.type ?? 'string'),
    multiValued: input.multiValued ?? false,
    description: input.description ?? '',
    required: input.required ?? false,
    caseExact: input.caseExact ?? false,
    mutability: input.mutability ?? 'readWrite',
    returned: input.returned ?? 'default',
    uniqueness: input.uniqueness ?? 'none',
    ...(input.canonicalValues ? { canonicalValues: input.canonicalValues } : {}),
    ...(input.referenceTypes ? { referenceTypes: input.referenceTypes } : {}),
    ...(input.subAttributes ? { subAttributes: input.subAttributes } : {}),
  };
}
