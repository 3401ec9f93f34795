import type { FilterNode } from './filter/ast';
import type { SortIndexName } from './filter/plan';
import type { ResourceTypeName } from './filter/planFilter';
import { printAttrPath } from './filter/printFilter';
import type { SortTarget } from './sortKey';

/**
 * Which queries scale to any tenant size, and what the others may cost: the one statement that
 * /ServiceProviderConfig advertises, the store serves and 400 tooMany details point to.
 */

/** Filters served by a key lookup or an index range, whatever the tenant's size (ANDed with anything). */
export const INDEXED_FILTERS: readonly string[] = [
  'id eq',
  'userName eq',
  'externalId eq',
  'emails.value eq',
  'emails[type eq "<type>"].value eq',
  'displayName eq',
  'members.value eq (Groups)',
  'userName sw',
  'displayName sw',
  'meta.created gt|ge|lt|le',
  'meta.lastModified gt|ge|lt|le',
];

/** The `sortBy` attributes each resource type keeps a sorted index of. */
export const INDEXED_SORTS: Readonly<Record<ResourceTypeName, readonly string[]>> = {
  User: ['userName', 'displayName', 'meta.created', 'meta.lastModified'],
  Group: ['displayName', 'meta.created', 'meta.lastModified'],
};

const SORT_INDEXES: Readonly<Record<string, SortIndexName>> = {
  'user:username': 'userName',
  'user:displayname': 'displayName',
  'group:displayname': 'displayName',
  'user:meta.created': 'created',
  'group:meta.created': 'created',
  'user:meta.lastmodified': 'lastModified',
  'group:meta.lastmodified': 'lastModified',
};

/** Filters a key lookup serves: what stays indexed while the sorted indexes are off (an upgrade). */
const KEY_LOOKUP_FILTERS: readonly string[] = INDEXED_FILTERS.filter((f) => f.includes(' eq') && f !== 'displayName eq');

/**
 * What /ServiceProviderConfig lists as indexed: everything above, or only the key lookups (Group
 * `displayName eq` is one) and no sortBy while a table's sorted indexes are being built.
 */
export function indexedQueries(sortedIndexes: boolean): { filters: readonly string[]; sorts: Readonly<Record<ResourceTypeName, readonly string[]>> } {
  if (sortedIndexes) return { filters: INDEXED_FILTERS, sorts: INDEXED_SORTS };
  return { filters: [...KEY_LOOKUP_FILTERS, 'displayName eq (Groups)'], sorts: { User: [], Group: [] } };
}

/** The sorted index serving `sortBy`, or undefined (then at most the bound is sorted in memory). */
export function sortIndexOf(resourceType: ResourceTypeName, target: SortTarget): SortIndexName | undefined {
  if (target.container !== undefined) return undefined;
  return SORT_INDEXES[`${resourceType}:${target.name}`.toLowerCase()];
}

/** Why a query would examine more resources than the bound (see tooManyDetail). */
export type UnservedReason =
  /** A filter no index serves, over more resources than the bound. */
  | 'filter'
  /** A sortBy no index serves, over more resources than the bound. */
  | 'sort'
  /**
   * A random startIndex into an index range with a further condition, holding more resources than
   * the bound: such a range streams in order, so its pages must follow each other (or use cursor).
   */
  | 'rangePredicate'
  /** A sortBy on another attribute than the filter's index range, over a range larger than the bound. */
  | 'rangeSort';

/** What tooManyDetail names. */
export interface UnservedQuery {
  readonly reason: UnservedReason;
  readonly resourceType: ResourceTypeName;
  readonly limit: number;
  readonly filter?: FilterNode;
  readonly sortBy?: string;
}

/** The attribute paths a filter names, printed (`title`, `emails.type`, `name.givenName`), once each. */
export function filterAttributes(filter: FilterNode): string[] {
  const out = new Set<string>();
  const walk = (n: FilterNode, inside?: string): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        walk(n.left, inside);
        walk(n.right, inside);
        return;
      case 'not':
        walk(n.filter, inside);
        return;
      case 'valuePath':
        walk(n.filter, printAttrPath(n.path));
        return;
      default:
        out.add(inside ? `${inside}.${printAttrPath(n.path)}` : printAttrPath(n.path));
    }
  };
  walk(filter);
  return [...out];
}

const RANGE_ATTRIBUTE: Readonly<Record<SortIndexName, string>> = {
  userName: 'userName',
  displayName: 'displayName',
  created: 'meta.created',
  lastModified: 'meta.lastModified',
};

/**
 * The 400 tooMany detail for a query past the bound: it names what was asked (the filter's
 * attributes, or only sortBy when no filter was sent) and what scales instead.
 */
export function tooManyDetail(q: UnservedQuery, range?: SortIndexName): string {
  const types = `${q.resourceType}s`;
  const sorts = INDEXED_SORTS[q.resourceType].join(', ');
  const filters = INDEXED_FILTERS.filter((f) => q.resourceType === 'Group' || !f.endsWith('(Groups)')).join('; ');
  const attrs = q.filter ? filterAttributes(q.filter).join(', ') : '';
  switch (q.reason) {
    case 'sort':
      return `sortBy=${q.sortBy} has no index and more than ${q.limit} ${types} would have to be sorted; sortBy one of ${sorts}, or add a filter that selects at most ${q.limit}`;
    case 'filter':
      return `The filter on ${attrs} has no index and more than ${q.limit} ${types} would have to be examined; use (or AND it with) one of: ${filters}`;
    case 'rangePredicate':
      return `The filter's ${RANGE_ATTRIBUTE[range ?? 'lastModified']} range holds more than ${q.limit} ${types}, so the rest of the filter (${attrs}) is applied as the range streams in order: page it from startIndex=1, each next startIndex the last one plus the Resources it returned, or page by cursor; or narrow the range (a longer prefix, a later or bounded time)`;
    case 'rangeSort':
      return `sortBy=${q.sortBy} with a filter on ${RANGE_ATTRIBUTE[range ?? 'lastModified']}: the range holds more than ${q.limit} ${types}, too many to sort in memory; sortBy ${RANGE_ATTRIBUTE[range ?? 'lastModified']}, or narrow the range`;
  }
}
