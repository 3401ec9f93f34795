import { ScimError } from '../errors';
import type { AttrPath, FilterNode } from './ast';
import type { StorePlan } from './plan';

/**
 * Which filters this service provider serves beyond the grammar (RFC 7644 §3.4.2.2 lets a provider
 * refuse filters it cannot honour): none on attributes a stored resource does not hold, and group
 * members only by id, through the membership lookup.
 */

/** Calls `visit` with every attribute path of a filter (and, inside a value path, its parent path). */
function walk(node: FilterNode, visit: (path: AttrPath, node: FilterNode, inside?: AttrPath) => void, inside?: AttrPath): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      walk(node.left, visit, inside);
      walk(node.right, visit, inside);
      return;
    case 'not':
      walk(node.filter, visit, inside);
      return;
    case 'valuePath':
      visit(node.path, node);
      walk(node.filter, visit, node.path);
      return;
    default:
      visit(node.path, node, inside);
  }
}

/**
 * Rejects filters on attributes the stored resource does not hold, which would otherwise match
 * nothing and answer an empty 200 that IdPs read as "no such resource" (docs/idp-quirks.md):
 * User `groups` and `password`. Group `members` may only be filtered by `value eq`, one id
 * per filter, served by the membership lookup; returns that id so the caller can evaluate it.
 */
export function checkFilterSupport(filter: FilterNode, resourceType: 'User' | 'Group'): { memberValue?: string } {
  const memberValues = new Set<string>();
  walk(filter, (path, node, inside) => {
    const attr = (inside ?? path).attr.toLowerCase();
    if (resourceType === 'User' && (attr === 'groups' || attr === 'password')) {
      throw ScimError.badRequest('invalidFilter', `Filtering Users on ${attr} is not supported${attr === 'groups' ? '; filter Groups on members[value eq "<userId>"] instead' : ''}`);
    }
    if (resourceType === 'Group' && attr === 'members') {
      if (node.kind === 'valuePath') return;
      const sub = inside ? path.attr : path.sub;
      if (node.kind === 'compare' && node.op === 'eq' && sub?.toLowerCase() === 'value' && typeof node.value === 'string') {
        memberValues.add(node.value);
        return;
      }
      throw ScimError.badRequest('invalidFilter', 'Group members can only be filtered with members[value eq "<id>"] or members.value eq "<id>"');
    }
  });
  if (memberValues.size > 1) throw ScimError.badRequest('invalidFilter', 'A filter may name at most one member id');
  const [memberValue] = memberValues;
  return memberValue === undefined ? {} : { memberValue };
}

/** True when the plan's key lookup proves membership of `memberValue` for every candidate it yields. */
export function planProvesMembership(plan: StorePlan, memberValue: string): boolean {
  if (plan.kind === 'member') return plan.value === memberValue;
  if (plan.kind === 'id') return plan.memberValue === memberValue;
  return false;
}
