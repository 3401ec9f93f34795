/**
 * SCIM messages other than resources (RFC 7644 §3.4.3 SearchRequest, §3.7 BulkRequest and
 * BulkResponse), parsed and built without I/O, as scimmy's messages/ folder holds them.
 */
export { parseBulkRequest, forEachString, referencedBulkIds, resolveBulkIds, bulkTarget, type BulkOperation, type BulkRequest, type BulkTarget } from './bulkRequest';
export { bulkSuccess, bulkFailure, bulkInternalError, bulkResponse, type BulkResult } from './bulkResponse';
export { parseListParams, parseSearchRequest, type ListQuery, type PageLimits } from './searchRequest';
