import { ScimError } from '../scim/errors';
import { setAsideUndeclaredExtensions, validateResource, withUndeclaredExtensions } from '../scim/validate';
import type { ProvisioningContext } from './context';

type Json = Record<string, unknown>;

/** Validates a request body as a resource of `resourceType` under the tenant's schemas and settings. */
export function validateFor(ctx: ProvisioningContext, resourceType: 'User' | 'Group', input: unknown, mode: 'create' | 'replace', existing?: Json): Json {
  return validateResource(input, { registry: ctx.registry, resourceType, mode, existing, unknownAttributes: ctx.config.unknownAttributes });
}

/**
 * Validates an update (PUT, PATCH) of a stored resource: `produce` gets the stored attributes the
 * tenant's schemas declare and returns the new resource, validated against them. Data the item
 * holds under an extension the tenant no longer declares is neither validated nor changed: it goes
 * back into the result as stored (see setAsideUndeclaredExtensions).
 */
export function validateUpdate(ctx: ProvisioningContext, resourceType: 'User' | 'Group', stored: Json, produce: (declared: Json) => unknown): Json {
  const { declared, undeclared } = setAsideUndeclaredExtensions(stored, ctx.registry, resourceType);
  return withUndeclaredExtensions(validateFor(ctx, resourceType, produce(declared), 'replace', declared), undeclared);
}

/** The body of a POST, PUT or PATCH, which must be there. */
export function requireBody(body: unknown): unknown {
  if (body === undefined) throw ScimError.badRequest('invalidSyntax', 'The request needs a JSON body');
  return body;
}
