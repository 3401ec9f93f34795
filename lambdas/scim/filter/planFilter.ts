import { ScimError } from '../errors';
import { nameKey } from '../names';
import { URN } from '../schema/urns';
import type { AttrPath, FilterNode, FilterValue } from './ast';
import type { SortIndexName, StorePlan } from './plan';

/** The resource types the store serves. */
export type ResourceTypeName = 'User' | 'Group';

type LookupPlan = Exclude<StorePlan, { kind: 'list' }>;

// Lower is more selective: ids and unique markers first, then lookups that may hold a few.
const SELECTIVITY: Record<StorePlan['kind'], number> = {
  id: 0,
  userName: 1,
  displayName: 1,
  externalId: 2,
  email: 3,
  member: 4,
  union: 5,
  range: 7,
  list: 9,
};

const LIST: StorePlan = { kind: 'list' };

type RangePlan = Extract<StorePlan, { kind: 'range' }>;

/** The latest instant an ISO 8601 string with a four-digit year can hold (9999-12-31T23:59:59.999Z). */
const MAX_INSTANT = 253402300799999;

/**
 * Most distinct key lookups one filter may plan. Each costs one to three reads (a marker or lookup
 * partition, then the resources), so an OR of lookups is bounded like a listing is by
 * `maxScanItems`: past this it answers 400 tooMany rather than fan out hundreds of reads. 50 is far
 * above any IdP's batched lookup (Entra and Okta send one `eq` at a time; governance tools OR a
 * page of ids at most).
 */
export const MAX_FILTER_LOOKUPS = 50;

/**
 * Turns a filter into the key lookup that yields every resource it can match (docs/design.md access
 * patterns 1-3). Sound, not exact: the store re-applies the whole filter to the candidates.
 * AND takes its most selective lookup; OR is a `union` only if every branch is a lookup.
 */
export function planFilter(ast: FilterNode, resourceType: ResourceTypeName): StorePlan {
  const p = plan(ast, resourceType);
  if (p.kind !== 'union') return p;
  // The same lookup named twice (`externalId eq "x" or externalId eq "x"`, or "A" and "a" for a
  // case-insensitive key) is read once: repeating a branch must not multiply the reads.
  const unique = new Map<string, StorePlan>();
  for (const branch of p.plans) {
    const key = lookupIdentity(branch);
    if (!unique.has(key)) unique.set(key, branch);
  }
  if (unique.size > MAX_FILTER_LOOKUPS) {
    throw ScimError.badRequest('tooMany', `The filter ORs ${unique.size} distinct key lookups; at most ${MAX_FILTER_LOOKUPS} are served in one request: split it`);
  }
  const plans = [...unique.values()];
  return plans.length === 1 ? plans[0] : { kind: 'union', plans };
}

/** What makes two lookups read the same items: the key each one reads, in the store's key form. */
function lookupIdentity(p: StorePlan): string {
  switch (p.kind) {
    case 'userName':
    case 'displayName':
      return `${p.kind}\u0000${nameKey(p.value)}`;
    case 'email':
      // The email lookup partition is lowercase; the `type` narrowing is re-applied by the evaluator.
      return `email\u0000${p.value.toLowerCase()}\u0000${p.type ?? ''}`;
    case 'id':
      return `id\u0000${p.value}\u0000${p.memberValue ?? ''}`;
    case 'externalId':
    case 'member':
      return `${p.kind}\u0000${p.value}`;
    default:
      return JSON.stringify(p);
  }
}

function plan(node: FilterNode, rt: ResourceTypeName): StorePlan {
  switch (node.kind) {
    case 'compare':
      return node.op === 'eq' ? planEquality(node.path, node.value, rt) : (planRange(node.path, node.op, node.value, rt) ?? LIST);
    case 'valuePath':
      return planValuePath(node.path, node.filter, rt);
    case 'and': {
      const left = plan(node.left, rt);
      const right = plan(node.right, rt);
      // Entra's membership check: `id eq "g" and members[value eq "u"]`.
      if (left.kind === 'id' && right.kind === 'member' && left.memberValue === undefined) return { ...left, memberValue: right.value };
      if (right.kind === 'id' && left.kind === 'member' && right.memberValue === undefined) return { ...right, memberValue: left.value };
      // Any other key (`displayName eq "A" and members[value eq "u"]`, Okta's and governance tools'
      // check): the group item holds no members, so only the member lookup proves the membership;
      // the other condition is applied to the user's groups as a predicate.
      if (right.kind === 'member' && left.kind !== 'id') return right;
      if (left.kind === 'member' && right.kind !== 'id') return left;
      if (left.kind === 'range' && right.kind === 'range') return intersect(left, right);
      const chosen = SELECTIVITY[right.kind] < SELECTIVITY[left.kind] ? right : left;
      // The other side is left to the predicate: the range no longer decides the filter alone.
      return chosen.kind === 'range' ? { ...chosen, exact: false } : chosen;
    }
    case 'or': {
      const left = plan(node.left, rt);
      const right = plan(node.right, rt);
      // A union is of key lookups only: ranges would each be a paged read, so `or` of them is a listing.
      if (left.kind === 'list' || right.kind === 'list' || left.kind === 'range' || right.kind === 'range') return LIST;
      return { kind: 'union', plans: [...branches(left), ...branches(right)] };
    }
    case 'not':
    case 'present':
      return LIST;
  }
}

/** `a and b` over two ranges: one range when both are on the same time index, else the first. */
function intersect(a: RangePlan, b: RangePlan): RangePlan {
  if (a.index !== b.index || a.prefix !== undefined || b.prefix !== undefined) return { ...a, exact: false };
  const from = Math.max(a.from ?? 0, b.from ?? 0);
  const to = Math.min(a.to ?? MAX_INSTANT, b.to ?? MAX_INSTANT);
  return { kind: 'range', index: a.index, from, to, exact: a.exact && b.exact };
}

/**
 * `userName sw "x"`, `displayName sw "x"` (case-insensitive: both are caseExact false) and
 * `meta.created` / `meta.lastModified` `gt|ge|lt|le "<dateTime>"` as a range of the attribute's
 * sorted index. Bounds are inclusive instants in ms (`gt t` is `from t+1`), as the evaluator
 * compares dateTimes (Date.parse, ms). Anything else is undefined (no range serves it).
 */
function planRange(path: AttrPath, op: string, literal: FilterValue, rt: ResourceTypeName): RangePlan | undefined {
  if (!corePath(path, rt) || typeof literal !== 'string') return undefined;
  const attr = path.attr.toLowerCase();
  const sub = path.sub?.toLowerCase();
  if (op === 'sw' && sub === undefined && literal !== '') {
    const index: SortIndexName | undefined = attr === 'username' && rt === 'User' ? 'userName' : attr === 'displayname' ? 'displayName' : undefined;
    return index ? { kind: 'range', index, prefix: literal.toLowerCase(), exact: true } : undefined;
  }
  if (attr !== 'meta' || (sub !== 'created' && sub !== 'lastmodified')) return undefined;
  const t = Date.parse(literal);
  if (Number.isNaN(t)) return undefined;
  const index: SortIndexName = sub === 'created' ? 'created' : 'lastModified';
  switch (op) {
    case 'gt':
      return { kind: 'range', index, from: Math.min(t + 1, MAX_INSTANT + 1), exact: true };
    case 'ge':
      return { kind: 'range', index, from: Math.max(t, 0), exact: true };
    case 'lt':
      return { kind: 'range', index, to: Math.max(t - 1, -1), exact: true };
    case 'le':
      return { kind: 'range', index, to: Math.min(t, MAX_INSTANT), exact: true };
    default:
      return undefined;
  }
}

function branches(p: LookupPlan): readonly StorePlan[] {
  return p.kind === 'union' ? p.plans : [p];
}

/** A path with no URN or the resource type's core URN (RFC 7644 §3.10 allows either). */
function corePath(path: AttrPath, rt: ResourceTypeName): boolean {
  return path.uri === undefined || path.uri.toLowerCase() === (rt === 'User' ? URN.user : URN.group).toLowerCase();
}

/** The string a literal compares as against a string attribute (see matchesFilter). */
function asString(value: FilterValue): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function planEquality(path: AttrPath, literal: FilterValue, rt: ResourceTypeName): StorePlan {
  const value = asString(literal);
  if (value === undefined || !corePath(path, rt)) return LIST;
  const attr = path.attr.toLowerCase();
  const sub = path.sub?.toLowerCase();
  if (sub === undefined) {
    if (attr === 'id') return { kind: 'id', value };
    if (attr === 'externalid') return { kind: 'externalId', value };
    if (attr === 'username' && rt === 'User') return { kind: 'userName', value };
    if (attr === 'displayname' && rt === 'Group') return { kind: 'displayName', value };
    // Users' displayName is not unique: equality is a prefix of its sorted index, checked by the predicate.
    if (attr === 'displayname' && rt === 'User' && value !== '') return { kind: 'range', index: 'displayName', prefix: value.toLowerCase(), exact: false };
    // RFC 7644 §3.4.2.2: a complex multi-valued attribute without sub-attribute compares `value`.
    if (attr === 'emails' && rt === 'User') return { kind: 'email', value };
    if (attr === 'members' && rt === 'Group') return { kind: 'member', value };
    return LIST;
  }
  if (sub === 'value' && attr === 'emails' && rt === 'User') return { kind: 'email', value };
  if (sub === 'value' && attr === 'members' && rt === 'Group') return { kind: 'member', value };
  return LIST;
}

/** `emails[value eq "x" and type eq "work"]`, `members[value eq "u"]`: equalities ANDed inside the brackets. */
function planValuePath(path: AttrPath, filter: FilterNode, rt: ResourceTypeName): StorePlan {
  if (!corePath(path, rt) || path.sub !== undefined) return LIST;
  const attr = path.attr.toLowerCase();
  if (!((attr === 'emails' && rt === 'User') || (attr === 'members' && rt === 'Group'))) return LIST;
  const eqs = conjunctEqualities(filter);
  const value = eqs.get('value');
  if (value === undefined) return LIST;
  if (attr === 'members') return { kind: 'member', value };
  const type = eqs.get('type');
  return type === undefined ? { kind: 'email', value } : { kind: 'email', value, type };
}

/** `sub eq "x"` terms reachable through AND only (the first one per sub-attribute), lowercased names. */
export function conjunctEqualities(filter: FilterNode): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (n: FilterNode): void => {
    if (n.kind === 'and') {
      walk(n.left);
      walk(n.right);
    } else if (n.kind === 'compare' && n.op === 'eq' && n.path.sub === undefined && n.path.uri === undefined) {
      const v = asString(n.value);
      const key = n.path.attr.toLowerCase();
      if (v !== undefined && !found.has(key)) found.set(key, v);
    }
  };
  walk(filter);
  return found;
}
