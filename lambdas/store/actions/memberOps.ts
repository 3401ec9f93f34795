import type { MemberRef } from '../items';

/** One membership write: add or remove one member. */
export interface MemberOp {
  kind: 'add' | 'remove';
  member: MemberRef;
}

/** Transaction actions a member op takes: a nested group also bumps its parentCount. */
export function opCost(op: MemberOp): number {
  return op.member.type === 'Group' ? 2 : 1;
}

/** Splits member ops so the first part fits `room` transaction actions (a nested group takes 2). */
export function splitOps(ops: readonly MemberOp[], room: number): { first: MemberOp[]; rest: MemberOp[] } {
  let used = 0;
  let i = 0;
  for (; i < ops.length; i++) {
    const cost = opCost(ops[i]);
    if (used + cost > room) break;
    used += cost;
  }
  return { first: ops.slice(0, i), rest: ops.slice(i) };
}

/** The memberCount change of some ops. */
export function memberCountDelta(ops: readonly MemberOp[]): number {
  return ops.reduce((n, op) => n + (op.kind === 'add' ? 1 : -1), 0);
}

/** Members by `value`, the last one winning; empty or non-string values are dropped. */
export function dedupeMembers<T extends { value: string }>(members: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const m of members) if (typeof m.value === 'string' && m.value !== '') byId.set(m.value, m);
  return [...byId.values()];
}
