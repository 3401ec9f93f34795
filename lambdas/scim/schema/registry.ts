import { findAttribute } from './attributeIndex';
import { COMMON_ATTRIBUTES } from './common';
import { ENTERPRISE_USER_SCHEMA } from './enterpriseUser';
import { GROUP_SCHEMA } from './group';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types';
import { URN } from './urns';
import { USER_SCHEMA } from './user';

/** A tenant's custom extension, bound to the resource type it extends. */
export interface CustomExtension {
  readonly resourceType: 'User' | 'Group';
  readonly schema: SchemaDefinition;
  readonly required?: boolean;
}

/** What is known about one resource type: its schemas, resolved. */
export interface ResourceTypeSchemas {
  readonly resourceType: ResourceTypeDefinition;
  readonly core: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

/**
 * The schemas and resource types a tenant serves: the RFC 7643 core plus its custom extensions.
 * Built once per container from configuration; everything else (validation, filters, PATCH,
 * projection, discovery) asks it.
 */
export class SchemaRegistry {
  readonly schemas: readonly SchemaDefinition[];
  readonly resourceTypes: readonly ResourceTypeDefinition[];
  private readonly byUrn = new Map<string, SchemaDefinition>();
  private readonly byType = new Map<string, ResourceTypeSchemas>();

  constructor(customExtensions: readonly CustomExtension[] = []) {
    const userExtensions = [
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      ...customExtensions.filter((e) => e.resourceType === 'User').map((e) => ({ schema: e.schema, required: e.required ?? false })),
    ];
    const groupExtensions = customExtensions
      .filter((e) => e.resourceType === 'Group')
      .map((e) => ({ schema: e.schema, required: e.required ?? false }));
    const user: ResourceTypeDefinition = {
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: URN.user,
      schemaExtensions: userExtensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    };
    const group: ResourceTypeDefinition = {
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: URN.group,
      schemaExtensions: groupExtensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    };
    this.resourceTypes = [user, group];
    this.schemas = [USER_SCHEMA, GROUP_SCHEMA, ...userExtensions.map((e) => e.schema), ...groupExtensions.map((e) => e.schema)];
    for (const s of this.schemas) {
      if (this.byUrn.has(s.id.toLowerCase())) throw new Error(`Schema ${s.id} is declared twice`);
      this.byUrn.set(s.id.toLowerCase(), s);
    }
    this.byType.set('user', { resourceType: user, core: USER_SCHEMA, extensions: userExtensions.map((e) => e.schema) });
    this.byType.set('group', { resourceType: group, core: GROUP_SCHEMA, extensions: groupExtensions.map((e) => e.schema) });
  }

  /** A schema by URN, case-insensitively (RFC 7643 §2.1). */
  schema(urn: string): SchemaDefinition | undefined {
    return this.byUrn.get(urn.toLowerCase());
  }

  /** The schemas of a resource type ("User" or "Group", any case). */
  forType(resourceType: string): ResourceTypeSchemas {
    const found = this.byType.get(resourceType.toLowerCase());
    if (!found) throw new Error(`Unknown resource type ${resourceType}`);
    return found;
  }

  /** The resource type by id, case-insensitively, for /ResourceTypes/{id}. */
  resourceType(id: string): ResourceTypeDefinition | undefined {
    return this.byType.get(id.toLowerCase())?.resourceType;
  }

  /**
   * Top-level attribute of a resource type: a core or common attribute by name, or, when `urn`
   * is given, an attribute of that extension. Case-insensitive.
   */
  attribute(resourceType: string, name: string, urn?: string): AttributeDefinition | undefined {
    const t = this.forType(resourceType);
    if (urn && urn.toLowerCase() !== t.core.id.toLowerCase()) {
      const ext = t.extensions.find((e) => e.id.toLowerCase() === urn.toLowerCase());
      return ext ? findAttribute(ext.attributes, name) : undefined;
    }
    return findAttribute(t.core.attributes, name) ?? findAttribute(COMMON_ATTRIBUTES, name);
  }
}

/** Finds a sub-attribute by name, case-insensitively. */
export function subAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return parent.subAttributes ? findAttribute(parent.subAttributes, name) : undefined;
}
