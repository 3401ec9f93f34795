import { scimErrorBody, type ScimError, type ScimErrorBody } from '../errors';
import { URN } from '../schema/urns';
import type { BulkOperation } from './bulkRequest';

/** One entry of a BulkResponse (RFC 7644 §3.7.3). */
export interface BulkResult {
  readonly method: string;
  readonly bulkId?: string;
  /** The resource's ETag after the operation. */
  readonly version?: string;
  /** The resource's URL (absent for a failed POST). */
  readonly location?: string;
  /** HTTP status, as a string. */
  readonly status: string;
  /** The SCIM error of a failed operation. */
  readonly response?: ScimErrorBody;
}

/** The result of a successful operation. */
export function bulkSuccess(op: Pick<BulkOperation, 'method' | 'bulkId'>, status: number, location: string, version?: string): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), ...(version ? { version } : {}), location, status: String(status) };
}

/** The result of an operation that failed with a SCIM error (its body is the response). */
export function bulkFailure(op: Pick<BulkOperation, 'method' | 'bulkId'>, error: Pick<ScimError, 'status' | 'toBody'>): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: String(error.status), response: error.toBody() };
}

/** The result of an operation that failed unexpectedly: a detail-free 500, as for a request of its own. */
export function bulkInternalError(op: Pick<BulkOperation, 'method' | 'bulkId'>): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: '500', response: scimErrorBody(500, 'Internal server error') };
}

/** A BulkResponse body. */
export function bulkResponse(results: readonly BulkResult[]): { schemas: [string]; Operations: BulkResult[] } {
  return { schemas: [URN.bulkResponse], Operations: [...results] };
}
