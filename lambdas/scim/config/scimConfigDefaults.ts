/**
 * Defaults and bounds of the tenant's SCIM configuration, shared by the full parser that checks a
 * config at synth (tenantScimConfig.ts) and the reader a deployed function applies to its
 * SCIM_CONFIG (deployedScimConfig.ts), so the two cannot drift.
 */
export const SCIM_CONFIG_DEFAULTS = {
  unknownAttributes: 'reject',
  maxPageSize: 100,
  maxMembersInResponse: 10_000,
  sortedIndexes: true,
} as const;

/** Largest `maxPageSize` (and `defaultPageSize`) a tenant may set. */
export const MAX_PAGE_SIZE_LIMIT = 1000;

/** Largest `maxMembersInResponse`: 10,000 rendered members are ~2 MB, inside Lambda's 6 MB response. */
export const MAX_MEMBERS_IN_RESPONSE_LIMIT = 10_000;

/** `defaultPageSize` when the tenant sets none: 100, or `maxPageSize` when that is lower. */
export function defaultPageSizeFor(maxPageSize: number): number {
  return Math.min(100, maxPageSize);
}
