/**
 * The typed tree of an RFC 7644 §3.4.2.2 filter. Attribute names keep the client's spelling
 * (they are matched case-insensitively later); operators are lowercased.
 */

/** An attribute path: optional schema URN, attribute, optional sub-attribute (RFC 7644 §3.4.2.2 `attrPath`). */
export interface AttrPath {
  readonly uri?: string;
  readonly attr: string;
  readonly sub?: string;
}

/** The comparison operators of RFC 7644 §3.4.2.2 (`pr` is {@link PresentFilter}). */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** Every comparison operator, in RFC order. */
export const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** A `compValue` literal: JSON string, number, true, false or null. */
export type FilterValue = string | number | boolean | null;

/** `attrPath op value`. */
export interface CompareFilter {
  readonly kind: 'compare';
  readonly op: CompareOperator;
  readonly path: AttrPath;
  readonly value: FilterValue;
}

/** `attrPath pr`. */
export interface PresentFilter {
  readonly kind: 'present';
  readonly path: AttrPath;
}

/** `left and right` / `left or right` (binary, left-associative). */
export interface LogicalFilter {
  readonly kind: 'and' | 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `not (filter)`. */
export interface NotFilter {
  readonly kind: 'not';
  readonly filter: FilterNode;
}

/**
 * `attr[filter]`: some element of the complex attribute `path` matches `filter`, whose paths
 * name sub-attributes of `path` (no URN, no sub). Entra's `emails[type eq "work"].value eq "x"`
 * is parsed into this form as `emails[type eq "work" and value eq "x"]`, which means the same.
 */
export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly path: AttrPath;
  readonly filter: FilterNode;
}

/** Any filter node. */
export type FilterNode = CompareFilter | PresentFilter | LogicalFilter | NotFilter | ValuePathFilter;

/** Upper bound on a filter's length in characters (docs/design.md: filters bounded in size). */
export const MAX_FILTER_LENGTH = 4096;

/** Upper bound on nesting of parentheses, `not` and `[...]` (docs/design.md: filters bounded in depth). */
export const MAX_FILTER_DEPTH = 16;
