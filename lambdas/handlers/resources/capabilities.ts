import { MAX_MEMBERS_IN_RESPONSE } from './members';

/** Limits of /Bulk (RFC 7644 §3.7.4): operations per request and bytes per body. */
export const BULK_LIMITS = { maxOperations: 1000, maxPayloadSize: 1024 * 1024 } as const;

/**
 * What this deployment really supports, in one place: /ServiceProviderConfig renders it, and
 * tests check each claim against the API (issue 3: advertise only what works).
 */
export const CAPABILITIES = {
  patch: { supported: true },
  /** /Bulk: see bulkRoutes.ts. */
  bulk: { supported: true, ...BULK_LIMITS },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  /** Filters without a key lookup examine at most this many resources (store maxScanItems). */
  maxFilterScan: 2000,
  maxMembersInResponse: MAX_MEMBERS_IN_RESPONSE,
  /** Seconds an RFC 9865 cursor stays valid (store page-cursor TTL). */
  cursorTimeout: 900,
} as const;
