/**
 * What the store needs to know about a filter to serve it without a scan (docs/design.md access
 * patterns 1-3, 7): the key lookup that yields a small candidate set. The store loads the
 * candidates and then applies the full filter with the evaluator, so a plan only has to be
 * sound (never miss a match), not exact.
 */
export type StorePlan =
  /** `id eq "x"` (and anything ANDed with it). */
  | { readonly kind: 'id'; readonly value: string; readonly memberValue?: string }
  /** `userName eq "x"` (User) — unique marker, strongly consistent, case-insensitive. */
  | { readonly kind: 'userName'; readonly value: string }
  /** `externalId eq "x"` — lookup items, strongly consistent, case-exact. */
  | { readonly kind: 'externalId'; readonly value: string }
  /** Group `displayName eq "x"` — unique marker, case-insensitive. */
  | { readonly kind: 'displayName'; readonly value: string }
  /** `emails.value eq "x"`, `emails[type eq "work"].value eq "x"`, `emails[value eq "x"]`; `type` when the filter pins it. */
  | { readonly kind: 'email'; readonly value: string; readonly type?: string }
  /** Group `members[value eq "u"]` / `members.value eq "u"` — reverse membership index. */
  | { readonly kind: 'member'; readonly value: string }
  /** OR of plans, each served by a lookup (`userName eq "a" or userName eq "b"`). */
  | { readonly kind: 'union'; readonly plans: readonly StorePlan[] }
  /**
   * A range of one sorted index (see SortIndexName): `userName sw "a"` (a case-insensitive
   * `prefix`), `meta.lastModified gt "<t>"` (instants `from`/`to` in ms, both inclusive). `exact`
   * when the range alone decides the filter; otherwise the rest of the filter is a predicate over it.
   */
  | { readonly kind: 'range'; readonly index: SortIndexName; readonly prefix?: string; readonly from?: number; readonly to?: number; readonly exact: boolean }
  /** No key serves it: the store evaluates over a bounded listing or answers 400 tooMany. */
  | { readonly kind: 'list' };

/**
 * The attributes a resource type keeps a sorted index of, so `sortBy` on them and range filters
 * over them scale (docs: README "What scales"): `userName` (Users), `displayName`, `meta.created`,
 * `meta.lastModified`.
 */
export type SortIndexName = 'userName' | 'displayName' | 'created' | 'lastModified';
