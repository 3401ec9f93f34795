import type { ScimRequestStore } from '../store';
import type { SchemaRegistry } from '../scim/schema';
import type { TenantScimConfig } from '../scim/config';

/**
 * What the use cases work with, created once per container: the tenant's store, its schemas
 * (core plus its extensions) and its SCIM configuration.
 */
export interface ProvisioningContext {
  readonly store: ScimRequestStore;
  readonly registry: SchemaRegistry;
  readonly config: TenantScimConfig;
}

/** A write request as the use cases take it, whatever carried it (an HTTP request, a /Bulk operation). */
export interface WriteRequest {
  /** The parsed JSON body (a resource, or a PatchOp for PATCH). */
  readonly body: unknown;
  /** The versions an If-Match allows (scim/etag.ts expectedVersions); absent: unconditional. */
  readonly expectedVersion?: readonly number[];
  /** A create's id, chosen beforehand (an all-or-nothing bulk journals it before the create). @default a new UUID */
  readonly newId?: string;
}
