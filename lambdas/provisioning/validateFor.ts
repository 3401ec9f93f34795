import { ScimError } from '../scim/errors';
import { validateResource } from '../scim/validate';
import type { ProvisioningContext } from './context';

type Json = Record<string, unknown>;

/** Validates a request body as a resource of `resourceType` under the tenant's schemas and settings. */
export function validateFor(ctx: ProvisioningContext, resourceType: 'User' | 'Group', input: unknown, mode: 'create' | 'replace', existing?: Json): Json {
  return validateResource(input, { registry: ctx.registry, resourceType, mode, existing, unknownAttributes: ctx.config.unknownAttributes });
}

/** The body of a POST, PUT or PATCH, which must be there. */
export function requireBody(body: unknown): unknown {
  if (body === undefined) throw ScimError.badRequest('invalidSyntax', 'The request needs a JSON body');
  return body;
}
