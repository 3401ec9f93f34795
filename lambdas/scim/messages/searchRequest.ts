import { ScimError } from '../errors';
import { parseFilter, type FilterNode } from '../filter';

/** A list or search request, from query parameters (GET) or a SearchRequest body (POST .search). */
export interface ListQuery {
  readonly filter?: FilterNode;
  readonly filterText?: string;
  readonly attributes?: string[];
  readonly excludedAttributes?: string[];
  readonly sortBy?: string;
  readonly sortOrder: 'ascending' | 'descending';
  /** 1-based; RFC 7644 §3.4.2.4: values below 1 are treated as 1. */
  readonly startIndex: number;
  /** Page size, clamped to the tenant's maximum; 0 asks only for totalResults. */
  readonly count: number;
  /** RFC 9865 cursor; empty string asks for the first page of cursor paging. */
  readonly cursor?: string;
}

/** Page-size limits of the tenant. */
export interface PageLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

function splitList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((i) => typeof i !== 'string')) throw ScimError.badRequest('invalidValue', `${name} must be a comma-separated list of attribute names`);
  const names = (items as string[]).map((s) => s.trim()).filter(Boolean);
  if (names.length > 200) throw ScimError.badRequest('invalidValue', `${name} lists more than 200 attributes`);
  return names.length ? names : undefined;
}

function build(input: {
  filter?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  startIndex?: number;
  count?: number;
  cursor?: unknown;
}, limits: PageLimits): ListQuery {
  if (input.filter !== undefined && typeof input.filter !== 'string') throw ScimError.badRequest('invalidFilter', 'filter must be a string');
  const filterText = typeof input.filter === 'string' && input.filter.trim() !== '' ? input.filter : undefined;
  const sortOrderRaw = typeof input.sortOrder === 'string' ? input.sortOrder.toLowerCase() : 'ascending';
  if (sortOrderRaw !== 'ascending' && sortOrderRaw !== 'descending') throw ScimError.badRequest('invalidValue', 'sortOrder must be "ascending" or "descending"');
  if (input.sortBy !== undefined && typeof input.sortBy !== 'string') throw ScimError.badRequest('invalidValue', 'sortBy must be an attribute name');
  if (input.cursor !== undefined && typeof input.cursor !== 'string') throw ScimError.badRequest('invalidValue', 'cursor must be a string');
  const count = input.count === undefined ? limits.defaultPageSize : Math.max(0, Math.min(input.count, limits.maxPageSize));
  return {
    filter: filterText ? parseFilter(filterText) : undefined,
    filterText,
    attributes: splitList(input.attributes, 'attributes'),
    excludedAttributes: splitList(input.excludedAttributes, 'excludedAttributes'),
    sortBy: typeof input.sortBy === 'string' && input.sortBy.trim() ? input.sortBy.trim() : undefined,
    sortOrder: sortOrderRaw,
    startIndex: Math.max(1, input.startIndex ?? 1),
    count,
    cursor: input.cursor as string | undefined,
  };
}

/**
 * Reads a list query from GET query parameters (RFC 7644 §3.4.2); `param` looks one up by name
 * (case-insensitively: clients differ). Integers must be integers (400 invalidValue otherwise).
 */
export function parseListParams(param: (name: string) => string | undefined, limits: PageLimits): ListQuery {
  const int = (name: string): number | undefined => {
    const raw = param(name);
    if (raw === undefined || raw.trim() === '') return undefined;
    if (!/^-?\d{1,9}$/.test(raw.trim())) throw ScimError.badRequest('invalidValue', `Query parameter ${name} must be an integer, got "${raw.slice(0, 40)}"`);
    return Number(raw.trim());
  };
  return build(
    {
      filter: param('filter'),
      attributes: param('attributes'),
      excludedAttributes: param('excludedAttributes'),
      sortBy: param('sortBy'),
      sortOrder: param('sortOrder'),
      startIndex: int('startIndex'),
      count: int('count'),
      cursor: param('cursor'),
    },
    limits,
  );
}

/** Reads a list query from a POST .search body, a SearchRequest (RFC 7644 §3.4.3), keys case-insensitive. */
export function parseSearchRequest(body: unknown, limits: PageLimits): ListQuery {
  if (body === undefined || body === null) return build({}, limits);
  if (typeof body !== 'object' || Array.isArray(body)) throw ScimError.badRequest('invalidSyntax', 'A SearchRequest body must be a JSON object');
  const get = (name: string): unknown => {
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (k.toLowerCase() === lower) return v;
    return undefined;
  };
  const int = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && /^-?\d{1,9}$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw ScimError.badRequest('invalidValue', `${name} must be an integer`);
    return n;
  };
  return build(
    {
      filter: get('filter'),
      attributes: get('attributes'),
      excludedAttributes: get('excludedAttributes'),
      sortBy: get('sortBy'),
      sortOrder: get('sortOrder'),
      startIndex: int('startIndex'),
      count: int('count'),
      cursor: get('cursor'),
    },
    limits,
  );
}
