import { ScimError } from '../errors';
import { URN } from '../schema/urns';

/** One operation of a BulkRequest (RFC 7644 §3.7), keys normalised. */
export interface BulkOperation {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly bulkId?: string;
  /** An ETag the operation is conditional on (If-Match). */
  readonly version?: string;
  readonly data?: unknown;
}

/** A parsed BulkRequest. */
export interface BulkRequest {
  readonly operations: BulkOperation[];
  /** Stop after this many errors (RFC 7644 §3.7.3); absent: run them all. */
  readonly failOnErrors?: number;
}

/** What an operation targets: a resource type's endpoint, and the resource's id for PUT/PATCH/DELETE. */
export interface BulkTarget {
  readonly resourceType: 'User' | 'Group';
  readonly id?: string;
}

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const BULK_ID_REF = /^bulkId:(.+)$/;
const ENDPOINTS: Record<string, BulkTarget['resourceType']> = { users: 'User', groups: 'Group' };

/**
 * Parses a BulkRequest body (RFC 7644 §3.7): the schema, a non-empty Operations array of at most
 * `maxOperations` (413 beyond, as §3.7.4 says), `failOnErrors` a positive integer, each operation a
 * known method with a path and, for POST, a bulkId. Keys are matched case-insensitively.
 */
export function parseBulkRequest(body: unknown, limits: { maxOperations: number }): BulkRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ScimError.badRequest('invalidSyntax', 'A BulkRequest body must be a JSON object');
  const get = (name: string) => Object.entries(body as Record<string, unknown>).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const schemas = get('schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.bulkRequest.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `A BulkRequest must list the schema ${URN.bulkRequest}`);
  }
  const ops = get('Operations');
  if (!Array.isArray(ops) || ops.length === 0) throw ScimError.badRequest('invalidSyntax', 'A BulkRequest needs a non-empty Operations array');
  if (ops.length > limits.maxOperations) {
    throw new ScimError(413, undefined, `A BulkRequest may hold at most ${limits.maxOperations} operations, got ${ops.length}`);
  }
  const failOnErrors = get('failOnErrors');
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw ScimError.badRequest('invalidValue', 'failOnErrors must be a positive integer');
  }
  const operations = ops.map((op, i): BulkOperation => {
    if (op === null || typeof op !== 'object' || Array.isArray(op)) throw ScimError.badRequest('invalidSyntax', `Operations[${i}] must be an object`);
    const o = Object.fromEntries(Object.entries(op as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const method = (typeof o.method === 'string' ? o.method.toUpperCase() : '') as BulkOperation['method'];
    if (!METHODS.includes(method)) throw ScimError.badRequest('invalidValue', `Operations[${i}].method must be POST, PUT, PATCH or DELETE`);
    if (typeof o.path !== 'string' || !o.path.startsWith('/')) throw ScimError.badRequest('invalidValue', `Operations[${i}].path must be a resource path like /Users`);
    if (method === 'POST' && (typeof o.bulkid !== 'string' || o.bulkid === '')) throw ScimError.badRequest('invalidValue', `Operations[${i}] is a POST and needs a bulkId`);
    return {
      method,
      path: o.path,
      ...(typeof o.bulkid === 'string' ? { bulkId: o.bulkid } : {}),
      ...(typeof o.version === 'string' ? { version: o.version } : {}),
      ...(o.data !== undefined ? { data: o.data } : {}),
    };
  });
  return { operations, ...(failOnErrors !== undefined ? { failOnErrors: failOnErrors as number } : {}) };
}

/** Calls `each` with every string an operation holds: its path segments and every string anywhere in its data. */
export function forEachString(op: Pick<BulkOperation, 'path' | 'data'>, each: (s: string) => void): void {
  const visit = (v: unknown): void => {
    if (typeof v === 'string') each(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  op.path.split('/').forEach(visit);
  visit(op.data);
}

/** The bulkIds an operation refers to (`bulkId:x` as a path segment or any string in its data, RFC 7644 §3.7.2). */
export function referencedBulkIds(op: Pick<BulkOperation, 'path' | 'data'>): Set<string> {
  const found = new Set<string>();
  forEachString(op, (v) => {
    const m = BULK_ID_REF.exec(v);
    if (m) found.add(m[1]);
  });
  return found;
}

/** The operation with every `bulkId:x` replaced by the id created for x (RFC 7644 §3.7.2); unknown ones stay. */
export function resolveBulkIds(op: BulkOperation, ids: ReadonlyMap<string, string>): BulkOperation {
  return { ...op, path: resolve(op.path.split('/'), ids).join('/'), ...(op.data !== undefined ? { data: resolve(op.data, ids) } : {}) };
}

function resolve<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    const m = BULK_ID_REF.exec(value);
    return (m && ids.has(m[1]) ? ids.get(m[1]) : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, ids)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, ids)])) as T;
  return value;
}

/**
 * What an operation's path names: `/Users` or `/Groups` for POST, `/Users/{id}` or `/Groups/{id}`
 * for PUT, PATCH and DELETE. Another path is 404 and another method on a known path 405, as for a
 * request of its own.
 */
export function bulkTarget(op: Pick<BulkOperation, 'method' | 'path'>): BulkTarget {
  const segments = op.path.replace(/\/+$/, '').split('/').slice(1);
  const resourceType = ENDPOINTS[segments[0]?.toLowerCase() ?? ''];
  if (!resourceType || segments.length > 2 || (segments.length === 2 && (segments[1] === '' || segments[1].toLowerCase() === '.search'))) {
    throw ScimError.notFound(`No SCIM endpoint at ${op.path.slice(0, 200)} for a bulk operation`);
  }
  if (segments.length === 1) {
    if (op.method !== 'POST') throw new ScimError(405, undefined, `Method ${op.method} is not supported on ${segments[0]}; use POST`, { headers: { Allow: 'POST' } });
    return { resourceType };
  }
  if (op.method === 'POST') throw new ScimError(405, undefined, `Method POST is not supported on a ${resourceType}; use PUT, PATCH, DELETE`, { headers: { Allow: 'PUT, PATCH, DELETE' } });
  let id: string;
  try {
    id = decodeURIComponent(segments[1]);
  } catch {
    throw ScimError.notFound(`Malformed path segment ${segments[1].slice(0, 60)}`);
  }
  return { resourceType, id };
}
