/** A group member reference as PATCH carries it (RFC 7643 §4.2 `members`). */
export interface MemberRef {
  readonly value: string;
  readonly type?: string;
  readonly display?: string;
  readonly $ref?: string;
}

/**
 * The effect of a PATCH on a group's members, so the store can apply it without loading them
 * (docs/design.md pattern 5). Either `replaceAll` (the full new set) or `removeAll` (no members
 * left) may be present, and then `add`/`remove` are empty; otherwise `add` and `remove` are
 * disjoint changes to the current set.
 */
export interface MemberDelta {
  readonly add: MemberRef[];
  readonly remove: string[];
  readonly replaceAll?: MemberRef[];
  readonly removeAll?: boolean;
}

/** Composes member operations in request order into one {@link MemberDelta}. */
export class MemberDeltaBuilder {
  private readonly added = new Map<string, MemberRef>();
  private readonly removed = new Set<string>();
  private reset: Map<string, MemberRef> | undefined;

  /** True once any member operation was recorded. */
  touched = false;

  /** Adds (or re-adds) a member. */
  add(ref: MemberRef): void {
    this.touched = true;
    if (this.reset) {
      this.reset.set(ref.value, ref);
      return;
    }
    this.removed.delete(ref.value);
    this.added.set(ref.value, ref);
  }

  /** Removes a member by id: net effect "remove" even after an add in the same request. */
  remove(id: string): void {
    this.touched = true;
    if (this.reset) {
      this.reset.delete(id);
      return;
    }
    this.added.delete(id);
    this.removed.add(id);
  }

  /** Replaces the whole set (Okta's `replace` of `members`, or `remove` of `members` with no value). */
  replaceAll(refs: readonly MemberRef[]): void {
    this.touched = true;
    this.added.clear();
    this.removed.clear();
    this.reset = new Map(refs.map((r) => [r.value, r]));
  }

  /** The composed delta, or undefined when no member operation was seen. */
  build(): MemberDelta | undefined {
    if (!this.touched) return undefined;
    if (this.reset) {
      return this.reset.size === 0 ? { add: [], remove: [], removeAll: true } : { add: [], remove: [], replaceAll: [...this.reset.values()] };
    }
    return { add: [...this.added.values()], remove: [...this.removed] };
  }
}
