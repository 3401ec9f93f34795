import type { MemberRef, StoredResource } from '../store';
import type { ActivationChange } from '../scim/changes';

/**
 * What a write actually changed, computed once by its use case from what the store wrote (not
 * from the request): metrics, the audit trail and change events read it. Names and ids only, no
 * attribute values (no personal data).
 */
export interface Effect {
  readonly resourceType: 'User' | 'Group';
  readonly id: string;
  readonly change: 'created' | 'updated' | 'deleted';
  /** Attributes whose value changed (extension attributes as `<urn>:<name>`), `members` aside. */
  readonly attributes: readonly string[];
  /** Users: `active` flipped (a user created inactive counts as deactivated). */
  readonly activation?: ActivationChange;
  /** Groups: members really added (a re-add of a member is not one). */
  readonly membersAdded: readonly MemberRef[];
  /** Groups: members really removed (removing a non-member is not one). */
  readonly membersRemoved: readonly MemberRef[];
}

/** The answer of every write use case: the resource as written and its effect. */
export interface WriteResult {
  readonly resource: StoredResource;
  readonly effect: Effect;
}

/** The effect of a delete. */
export function deletedEffect(resourceType: Effect['resourceType'], id: string): Effect {
  return { resourceType, id, change: 'deleted', attributes: [], membersAdded: [], membersRemoved: [] };
}
