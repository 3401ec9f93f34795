import type { SortIndexName } from '../scim/filter/plan';
import type { UnservedReason } from '../scim/queryCapabilities';

/**
 * The store's error family (one error family, one subclass per failure): DynamoDB failures are turned into these
 * once, inside lambdas/store; lambdas/http/toScimError.ts maps them to SCIM statuses by `name`
 * (so bundling cannot split the classes).
 */

/** Base class of every failure the store reports on purpose. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The resource does not exist (or is being deleted). HTTP 404. */
export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
  constructor(
    readonly resourceType: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`${resourceType} ${id} not found`, options);
  }
}

/** A uniqueness constraint was violated: `attribute` (`userName`, `displayName`) is taken. HTTP 409 uniqueness. */
export class ConflictError extends StoreError {
  override readonly name = 'ConflictError';
  constructor(
    readonly attribute: string,
    readonly value: string,
    options?: { cause?: unknown; existingId?: string },
  ) {
    // The value stays out of the message: messages get logged, and userName is personal data (docs/design.md, security defaults).
    super(`${attribute} is already in use`, options);
    this.existingId = options?.existingId;
  }
  /** The id of the resource that holds the value, when known. */
  readonly existingId?: string;
}

/** `If-Match` did not match the stored version (RFC 7644 §3.14). HTTP 412. */
export class PreconditionFailedError extends StoreError {
  override readonly name = 'PreconditionFailedError';
  constructor(
    readonly expectedVersion: number | readonly number[],
    readonly actualVersion: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`version mismatch: expected ${[expectedVersion].flat().join(' or ')}, stored ${actualVersion ?? 'unknown'}`, options);
  }
}

/** Most missing member ids an InvalidMemberError names: its message is the error's `detail`. */
export const MAX_LISTED_MISSING_MEMBERS = 100;
/** Characters of a missing id shown in the message (our ids are 36; a longer one exists nowhere). */
const LISTED_ID_CHARS = 64;

/**
 * Members to add do not exist (or are of another type); nothing was applied. HTTP 400 invalidValue.
 * The message lists at most MAX_LISTED_MISSING_MEMBERS ids and says how many more were missing
 * (`more`) and how many members were not checked at all (`unchecked`), so an error stays a few KB
 * whatever the request named.
 */
export class InvalidMemberError extends StoreError {
  override readonly name = 'InvalidMemberError';
  /** The missing ids listed (at most MAX_LISTED_MISSING_MEMBERS, in request order). */
  readonly ids: readonly string[];
  constructor(
    missing: readonly string[],
    options?: { cause?: unknown; unchecked?: number },
  ) {
    const ids = missing.slice(0, MAX_LISTED_MISSING_MEMBERS);
    const more = missing.length - ids.length;
    const unchecked = options?.unchecked ?? 0;
    const shown = ids.map((id) => (id.length > LISTED_ID_CHARS ? `${id.slice(0, LISTED_ID_CHARS)}…` : id));
    super(
      `members do not exist: ${shown.join(', ')}` +
        (more > 0 ? ` and ${more.toLocaleString('en-US')} more` : '') +
        (unchecked > 0 ? `; ${unchecked.toLocaleString('en-US')} further members were not checked` : ''),
      options,
    );
    this.ids = ids;
  }
}

/** Adding these groups as members would make a group contain itself. HTTP 400 invalidValue. */
export class CycleError extends StoreError {
  override readonly name = 'CycleError';
  constructor(
    readonly groupId: string,
    readonly memberIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`adding ${memberIds.join(', ')} to group ${groupId} would create a cycle of nested groups`, options);
  }
}

/** A filter the store cannot serve by key matched more than `maxScanItems` candidates. HTTP 400 tooMany. */
export class TooManyResultsError extends StoreError {
  override readonly name = 'TooManyResultsError';
  /** Why the query would examine too much (lambdas/scim/queryCapabilities.ts words the 400 from it). */
  readonly reason?: UnservedReason;
  /** The index range the filter was served from, for `rangePredicate` and `rangeSort`. */
  readonly range?: SortIndexName;
  constructor(
    readonly limit: number,
    options?: { cause?: unknown; detail?: string; reason?: UnservedReason; range?: SortIndexName },
  ) {
    super(
      options?.detail ??
        (options?.reason === 'sort' || options?.reason === 'rangeSort'
          ? `sortBy has no index for this query and more than ${limit} resources would have to be sorted; sortBy userName, displayName, meta.created or meta.lastModified`
          : `the filter cannot be served by an index and more than ${limit} resources would have to be examined; narrow it (e.g. userName eq, externalId eq, emails.value eq)`),
      options,
    );
    this.reason = options?.reason;
    this.range = options?.range;
  }
}

/** A `cursor` (RFC 9865) or startIndex state that this store did not issue for this query. HTTP 400 invalidValue. */
export class InvalidCursorError extends StoreError {
  override readonly name = 'InvalidCursorError';
  constructor(detail = 'the cursor is invalid or expired', options?: { cause?: unknown }) {
    super(detail, options);
  }
}

/** DynamoDB kept throttling (or kept conflicting) after the SDK's and the store's retries. HTTP 429. */
export class StoreThrottledError extends StoreError {
  override readonly name = 'StoreThrottledError';
  constructor(options?: { cause?: unknown }) {
    super('DynamoDB is throttling requests; retry later', options);
  }
}

/** The resource exceeds a DynamoDB limit (400 KB an item, 100 items a transaction). HTTP 400 invalidValue. */
export class ResourceTooLargeError extends StoreError {
  override readonly name = 'ResourceTooLargeError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
  }
}
