import type { Context } from 'aws-lambda';
import { ScimError, scimErrorBody } from '../../scim/errors';
import { URN } from '../../scim/schema/urns';
import { parsedBody } from '../../http/middlewares/scimBodyParser';
import { route, type Route } from '../../http/router';
import { toScimError } from '../../http/toScimError';
import { scimResponse } from '../../http/responses';
import { logger } from '../../http/observability';
import type { ScimEvent, ScimResult } from '../../http/types';
import type { HandlerDeps } from './deps';
import { userRoutes } from './userRoutes';
import { groupRoutes } from './groupRoutes';

import { BULK_LIMITS } from './capabilities';

export { BULK_LIMITS };

interface BulkOperation {
  method: string;
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
}

/** One entry of the BulkResponse (RFC 7644 §3.7.3). */
interface BulkResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

const BULK_ID_REF = /^bulkId:(.+)$/;

function parseOperations(body: unknown): { operations: BulkOperation[]; failOnErrors?: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ScimError.badRequest('invalidSyntax', 'A BulkRequest body must be a JSON object');
  const get = (name: string) => Object.entries(body as Record<string, unknown>).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const schemas = get('schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.bulkRequest.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `A BulkRequest must list the schema ${URN.bulkRequest}`);
  }
  const ops = get('Operations');
  if (!Array.isArray(ops) || ops.length === 0) throw ScimError.badRequest('invalidSyntax', 'A BulkRequest needs a non-empty Operations array');
  if (ops.length > BULK_LIMITS.maxOperations) {
    throw new ScimError(413, undefined, `A BulkRequest may hold at most ${BULK_LIMITS.maxOperations} operations, got ${ops.length}`);
  }
  const failOnErrors = get('failOnErrors');
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw ScimError.badRequest('invalidValue', 'failOnErrors must be a positive integer');
  }
  const operations = ops.map((op, i): BulkOperation => {
    if (op === null || typeof op !== 'object' || Array.isArray(op)) throw ScimError.badRequest('invalidSyntax', `Operations[${i}] must be an object`);
    const o = Object.fromEntries(Object.entries(op as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const method = typeof o.method === 'string' ? o.method.toUpperCase() : '';
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw ScimError.badRequest('invalidValue', `Operations[${i}].method must be POST, PUT, PATCH or DELETE`);
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
  return { operations, failOnErrors: failOnErrors as number | undefined };
}

/** The bulkIds an operation refers to (`bulkId:x` in its path or anywhere in its data). */
function referencedBulkIds(op: BulkOperation): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = BULK_ID_REF.exec(v);
      if (m) found.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  op.path.split('/').forEach(visit);
  visit(op.data);
  return found;
}

/** Replaces every `bulkId:x` with the id created for x (RFC 7644 §3.7.2). */
function resolveRefs<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === 'string') {
    const m = BULK_ID_REF.exec(value);
    return (m && ids.has(m[1]) ? ids.get(m[1]) : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, ids)])) as T;
  }
  return value;
}

function errorResult(op: BulkOperation, error: ScimError): BulkResult {
  return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: String(error.status), response: error.toBody() };
}

/**
 * POST /Bulk (RFC 7644 §3.7): each operation runs through the very same /Users and /Groups routes
 * as a single request would, in order; an operation that refers to a bulkId created later in the
 * request waits until it exists (forward references), and one whose reference never resolves
 * fails with 409 (§3.7.1). `failOnErrors` stops after that many errors. Operations are not rolled
 * back: each one is atomic on its own, and the response says exactly which succeeded.
 */
export function bulkRoutes(deps: HandlerDeps): Route[] {
  const dispatch = route([...userRoutes(deps), ...groupRoutes(deps)]);

  const bulk = async (event: ScimEvent, _params: string[], context: Context): Promise<ScimResult> => {
    const { operations, failOnErrors } = parseOperations(parsedBody(event));
    const ids = new Map<string, string>();
    const results: (BulkResult | undefined)[] = new Array(operations.length);
    let pending = operations.map((op, index) => ({ op, index }));
    let errors = 0;
    let progress = true;
    while (pending.length > 0 && progress && (failOnErrors === undefined || errors < failOnErrors)) {
      progress = false;
      const waiting: typeof pending = [];
      for (const item of pending) {
        if (failOnErrors !== undefined && errors >= failOnErrors) break;
        const { op, index } = item;
        const unresolved = [...referencedBulkIds(op)].filter((id) => !ids.has(id));
        if (unresolved.length > 0) {
          waiting.push(item);
          continue;
        }
        progress = true;
        const result = await runOne(dispatch, event, context, op, ids);
        if (Number(result.status) >= 400) errors++;
        else if (op.method === 'POST' && op.bulkId && result.location) ids.set(op.bulkId, result.location.split('/').pop() as string);
        results[index] = result;
      }
      pending = waiting.filter((w) => results[w.index] === undefined);
    }
    for (const { op, index } of pending) {
      if (failOnErrors !== undefined && errors >= failOnErrors) break;
      results[index] = errorResult(op, new ScimError(409, 'invalidValue', `Operation refers to bulkId(s) that no operation created: ${[...referencedBulkIds(op)].filter((id) => !ids.has(id)).join(', ')}`));
      errors++;
    }
    return scimResponse(200, { schemas: [URN.bulkResponse], Operations: results.filter((r): r is BulkResult => r !== undefined) });
  };

  return [{ method: 'POST', pattern: /^\/Bulk$/i, handle: bulk }];
}

/** Runs one bulk operation as a request of its own through the resource routes. */
async function runOne(
  dispatch: ReturnType<typeof route>,
  parent: ScimEvent,
  context: Context,
  op: BulkOperation,
  ids: Map<string, string>,
): Promise<BulkResult> {
  const path = resolveRefs(op.path.split('/'), ids).join('/');
  const data = resolveRefs(op.data, ids);
  const event: ScimEvent = {
    ...parent,
    httpMethod: op.method,
    path: `/scim/v2${path}`,
    body: null,
    isBase64Encoded: false,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    headers: { ...(op.version ? { 'If-Match': op.version } : {}) },
    multiValueHeaders: {},
    requestContext: { ...parent.requestContext, path: parent.requestContext.path.replace(/\/scim\/v2\/Bulk\/?$/i, `/scim/v2${path}`) },
  };
  (event as ScimEvent & { parsedBody?: unknown }).parsedBody = data;
  try {
    const res = await dispatch(event, context);
    const body = res.body ? JSON.parse(res.body) : undefined;
    const location = body?.meta?.location as string | undefined;
    const version = (res.headers?.ETag as string | undefined) ?? (body?.meta?.version as string | undefined);
    return {
      method: op.method,
      ...(op.bulkId ? { bulkId: op.bulkId } : {}),
      ...(version ? { version } : {}),
      ...(location ? { location } : {}),
      status: String(res.statusCode),
    };
  } catch (e) {
    const scimError = toScimError(e);
    if (scimError) return errorResult(op, scimError);
    logger.error('Bulk operation failed unexpectedly', { error: e as Error, method: op.method });
    return { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: '500', response: scimErrorBody(500, 'Internal server error') };
  }
}
