import { ScimError } from '../errors';
import type { FilterNode } from '../filter/ast';
import { getIgnoringCase, isObject } from '../path/resolveAttribute';
import type { MemberDeltaBuilder, MemberRef } from './memberDelta';
import type { PatchOperation } from './parsePatchBody';
import type { PatchTarget } from './patchTarget';

/** Group members as a delta: never read, never rewritten (docs/design.md, pattern 5). */
export function memberOperation(members: MemberDeltaBuilder, kind: PatchOperation['op'], t: PatchTarget, value: unknown): void {
  if (t.sub) throw ScimError.badRequest('invalidPath', `"${t.text}": members are added or removed whole, not by sub-attribute`);
  if (t.filterNode) {
    if (kind !== 'remove') throw ScimError.badRequest('invalidPath', `"${t.text}": add or replace members with path "members" and a value array`);
    for (const id of memberFilterIds(t.filterNode)) members.remove(id);
    return;
  }
  if (kind === 'remove') {
    if (value === undefined || value === null) members.replaceAll([]);
    else for (const ref of memberRefs(value)) members.remove(ref.value);
    return;
  }
  if (kind === 'replace') {
    // Okta: replace of `members` carries the full new set.
    members.replaceAll(value === undefined || value === null ? [] : memberRefs(value));
    return;
  }
  if (value === undefined || value === null) throw ScimError.badRequest('invalidValue', '"add" of "members" needs a "value"');
  for (const ref of memberRefs(value)) members.add(ref);
}

/** `{value, type?, display?, $ref?}` list from a member value (an array, one object, or bare ids). */
function memberRefs(value: unknown): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (typeof m === 'string' && m !== '') return { value: m };
    if (!isObject(m)) throw ScimError.badRequest('invalidValue', 'Each member must be an object with a string "value"');
    const id = getIgnoringCase(m, 'value');
    if (typeof id !== 'string' || id === '') throw ScimError.badRequest('invalidValue', 'Each member must have a string "value"');
    const ref: { value: string; type?: string; display?: string; $ref?: string } = { value: id };
    for (const k of ['type', 'display', '$ref'] as const) {
      const x = getIgnoringCase(m, k);
      if (typeof x === 'string') ref[k] = x;
    }
    return ref;
  });
}

/** Member ids named by `value eq "id"` (or an OR of them): the only member filter served without loading members. */
function memberFilterIds(node: FilterNode): string[] {
  if (node.kind === 'or') return [...memberFilterIds(node.left), ...memberFilterIds(node.right)];
  if (node.kind === 'compare' && node.op === 'eq' && node.path.attr.toLowerCase() === 'value' && node.path.sub === undefined && typeof node.value === 'string') {
    return [node.value];
  }
  throw ScimError.badRequest('invalidFilter', 'Members can only be selected by `members[value eq "<id>"]`: a group\'s members are not loaded to evaluate other filters');
}
