type Json = Record<string, unknown>;

/** A change of a User's `active` (RFC 7643 §4.1.1): Entra's soft delete, Okta's deactivate and their reverse. */
export type ActivationChange = 'deactivated' | 'reactivated';

/**
 * How `active` changed from `before` to `after` (absent counts as active: RFC 7643 leaves the
 * default to the provider, and we treat a user without it as active); undefined when it did not.
 * A new resource is compared with `undefined`: created inactive is a deactivation.
 */
export function activationChange(before: Json | undefined, after: Json | undefined): ActivationChange | undefined {
  const was = before === undefined ? true : before.active !== false;
  const is = after === undefined ? true : after.active !== false;
  if (was === is) return undefined;
  return is ? 'reactivated' : 'deactivated';
}
