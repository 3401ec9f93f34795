/**
 * What a committed resource item tells the table's stream about the write that produced it. The
 * store stamps these attributes on every resource item (SK `META`) it writes with a new version, so
 * the change feed (lambdas/events) derives events and audit records from the item images alone,
 * never from the request: an uncommitted write leaves no image, a committed one always does.
 * Pure data and types: lambdas/events imports them without pulling in the AWS SDK.
 */

/** Who made a write and in which request. Token id and label only: never a token or its hash. */
export interface WriteStamp {
  /** The token's public id (`tok_…`), or undefined for system work (deferred cleanup). */
  readonly tokenId?: string;
  /** The token's label as the operator named it (`npm run token -- create --label`). */
  readonly label?: string;
  /** The API Gateway / Lambda request id of the write. */
  readonly requestId?: string;
  /** The client's address as API Gateway saw it (audit trail only; not in events). */
  readonly sourceIp?: string;
}

/** One member of a membership change, as the change feed lists it. */
export interface MemberChangeEntry {
  readonly value: string;
  readonly type: 'User' | 'Group';
}

/**
 * The member changes committed together with one version of a group: at most one transaction's
 * worth (under 100 ids), because each chunk of a large change bumps the version. Every write that
 * bumps a group's version sets it or removes it, so a later write that does not touch members
 * never replays an older delta.
 */
export interface MemberChange {
  readonly add: readonly MemberChangeEntry[];
  readonly remove: readonly MemberChangeEntry[];
}

/** Item attribute holding the WriteStamp of the write that produced the item's current version. */
export const WRITE_STAMP_ATTRIBUTE = 'writtenBy';

/** Item attribute holding the MemberChange of the group's current version (absent when members did not change). */
export const MEMBER_CHANGE_ATTRIBUTE = 'memberChange';
