import { MEMBER_CHANGE_ATTRIBUTE, WRITE_STAMP_ATTRIBUTE, type MemberChange, type WriteStamp } from '../changeAttributes';
import { currentWriteStamp } from '../writeContext';
import type { MemberOp } from './memberOps';

/**
 * The change-feed attributes a resource write sets (changeAttributes.ts): who wrote it (the
 * request's WriteStamp) and, for a group, the member changes committed with this version. Every
 * version-bumping write goes through here, so the stream always carries both.
 */

/** The member change of the ops committed with one group version (<100: one transaction). */
export function memberChangeOf(ops: readonly MemberOp[]): MemberChange {
  const entry = (op: MemberOp) => ({ value: op.member.value, type: op.member.type });
  return { add: ops.filter((op) => op.kind === 'add').map(entry), remove: ops.filter((op) => op.kind === 'remove').map(entry) };
}

/** Attributes of a new resource item: the stamp, and the members written in the same transaction. */
export function creationStamps(ops: readonly MemberOp[]): Record<string, unknown> {
  const out: Record<string, unknown> = { [WRITE_STAMP_ATTRIBUTE]: currentWriteStamp() };
  if (ops.length > 0) out[MEMBER_CHANGE_ATTRIBUTE] = memberChangeOf(ops);
  return out;
}

/** UpdateExpression parts stamping a new version: `SET` clauses, an optional `REMOVE`, names and values. */
export interface StampClauses {
  readonly set: string;
  readonly remove?: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * The clauses that stamp a version: always the writer; for a group (`change` not undefined) the
 * member change, or its removal when this version changed no member (so no older one replays).
 */
export function versionStamps(change: MemberChange | undefined | 'none', stamp: WriteStamp = currentWriteStamp()): StampClauses {
  const names: Record<string, string> = { '#wb': WRITE_STAMP_ATTRIBUTE };
  const values: Record<string, unknown> = { ':wb': stamp };
  if (change === undefined) return { set: '#wb = :wb', names, values };
  names['#mc'] = MEMBER_CHANGE_ATTRIBUTE;
  if (change === 'none' || (change.add.length === 0 && change.remove.length === 0)) return { set: '#wb = :wb', remove: '#mc', names, values };
  values[':mc'] = change;
  return { set: '#wb = :wb, #mc = :mc', names, values };
}
