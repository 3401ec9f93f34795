/**
 * The service's own limits (AWS's are in awsLimits.ts): what /ServiceProviderConfig and the README
 * advertise and what the store and handlers enforce, defined once. A leaf module: it imports nothing.
 */

/** Limits of /Bulk (RFC 7644 §3.7.4): operations per request and bytes per body. */
export const BULK_LIMITS = { maxOperations: 1000, maxPayloadSize: 1024 * 1024 } as const;

/** Resources a filter without a key lookup may examine before 400 tooMany (the store's maxScanItems). */
export const MAX_FILTER_SCAN = 2000;

/**
 * Default and ceiling of the members one response carries (tenant setting `maxMembersInResponse`):
 * ~10,000 rendered members are ~2 MB, well inside Lambda's 6 MB response limit even with long
 * display names. Larger groups answer a SCIM error that says how to ask instead, never a 502.
 */
export const MAX_MEMBERS_IN_RESPONSE = 10_000;
