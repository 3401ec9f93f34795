import { ScimError } from '../scim/errors';
import { VALIDATION_LIMITS } from '../scim/validate/validationLimits';
import type { MemberRef as PatchMemberRef } from '../scim/patch';
import type { MemberInput } from '../store';

type Json = Record<string, unknown>;

/** Members as the store takes them; `type` is normalised when given ("user" → "User") and found by the store otherwise. */
export function toMemberInputs(members: unknown): MemberInput[] {
  if (!Array.isArray(members)) return [];
  return members.map((m: PatchMemberRef, i) => {
    if (typeof m.display === 'string' && m.display.length > VALIDATION_LIMITS.maxMemberDisplayLength) {
      throw ScimError.badRequest('invalidValue', `members[${i}].display is longer than ${VALIDATION_LIMITS.maxMemberDisplayLength} characters`);
    }
    const type = typeof m.type === 'string' ? m.type.toLowerCase() : undefined;
    return {
      value: m.value,
      ...(type === 'user' ? { type: 'User' as const } : type === 'group' ? { type: 'Group' as const } : {}),
      ...(typeof m.display === 'string' ? { display: m.display } : {}),
    };
  });
}

/**
 * A member without a string `value` names nobody: refuse it (400 invalidValue) rather than let
 * validation drop it silently, as PATCH does (lambdas/scim/patch memberRefs).
 */
export function requireMemberValues(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const members = Object.entries(body).find(([k]) => k.toLowerCase() === 'members')?.[1];
  if (!Array.isArray(members)) return;
  members.forEach((m: unknown, i) => {
    const value = m !== null && typeof m === 'object' ? Object.entries(m).find(([k]) => k.toLowerCase() === 'value')?.[1] : undefined;
    if (typeof value !== 'string' || value === '') throw ScimError.badRequest('invalidValue', `members[${i}] needs a string "value" (the member's id)`);
  });
}

/** Splits a validated group into its stored attributes and its member list (kept as separate items). */
export function splitMembers(data: Json): { data: Json; members: MemberInput[] | undefined } {
  const { members, ...rest } = data;
  return { data: rest, members: members === undefined ? undefined : toMemberInputs(members) };
}
