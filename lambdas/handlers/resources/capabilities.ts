import { BULK_LIMITS, MAX_FILTER_SCAN, MAX_MEMBERS_IN_RESPONSE } from '../../contracts/limits';
import { PAGE_CURSOR_TTL_SECONDS } from '../../contracts/ttls';

export { BULK_LIMITS };

/**
 * The all-or-nothing extension of /Bulk (lambdas/handlers/resources/bulkRollback.ts): a BulkRequest
 * listing this URN in `schemas` is applied entirely or rolled back.
 */
export const BULK_ROLLBACK_URN = 'urn:serverless-scim:api:messages:2.0:BulkAllOrNothing';

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
  maxFilterScan: MAX_FILTER_SCAN,
  maxMembersInResponse: MAX_MEMBERS_IN_RESPONSE,
  /** /ServiceProviderConfig extensions, by schema URN. */
  extensions: {
    [BULK_ROLLBACK_URN]: {
      supported: true,
      description:
        'List this URN in a BulkRequest\'s schemas to apply it all or nothing: the first failing operation rolls back those already applied (DELETEs run last and are not reversible); the BulkResponse lists what was rolled back under this URN.',
    },
  },
  /** Seconds an RFC 9865 cursor stays valid (store page-cursor TTL). */
  cursorTimeout: PAGE_CURSOR_TTL_SECONDS,
} as const;
