import { URN } from './schema/urns';

/** What a list answer holds; see {@link listResponse}. */
export interface ListResponseInput<T> {
  /** The page of resources, already projected. */
  readonly resources: readonly T[];
  /** Matches of the whole query, not of this page (RFC 7644 §3.4.2). */
  readonly totalResults: number;
  /** 1-based index of the first resource: give it for index paging, omit it for cursor paging (RFC 9865). */
  readonly startIndex?: number;
  /** Resources on this page; defaults to `resources.length`. */
  readonly itemsPerPage?: number;
  /** RFC 9865: the cursor of the next page; absent on the last page. */
  readonly nextCursor?: string;
  /** RFC 9865: the cursor of the previous page, when the store can go back. */
  readonly previousCursor?: string;
}

/** An RFC 7644 §3.4.2 ListResponse body, with the RFC 9865 cursor attributes. */
export interface ListResponseBody<T> {
  schemas: [typeof URN.listResponse];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: T[];
}

/**
 * Renders a ListResponse (RFC 7644 §3.4.2). `Resources` is always present, empty included: Entra's
 * Test Connection and every "does this user exist" lookup read an empty list as "no match".
 * `startIndex` appears only when given (index paging); cursor paging (RFC 9865) omits it and
 * carries `nextCursor`/`previousCursor` instead.
 */
export function listResponse<T>(input: ListResponseInput<T>): ListResponseBody<T> {
  return {
    schemas: [URN.listResponse],
    totalResults: input.totalResults,
    itemsPerPage: input.itemsPerPage ?? input.resources.length,
    ...(input.startIndex !== undefined ? { startIndex: input.startIndex } : {}),
    ...(input.nextCursor ? { nextCursor: input.nextCursor } : {}),
    ...(input.previousCursor ? { previousCursor: input.previousCursor } : {}),
    Resources: [...input.resources],
  };
}
