import { ScimError } from '../scim/errors';
import { etagOf, expectedVersions } from '../scim/etag';
import { ENDPOINT } from '../scim/render';
import {
  bulkFailure,
  bulkInternalError,
  bulkSuccess,
  bulkTarget,
  referencedBulkIds,
  resolveBulkIds,
  type BulkOperation,
  type BulkRequest,
  type BulkResult,
} from '../scim/messages';
import type { ProvisioningContext } from './context';
import type { Effect } from './effect';
import { createUser } from './createUser';
import { replaceUser } from './replaceUser';
import { patchUser } from './patchUser';
import { createGroup } from './createGroup';
import { replaceGroup } from './replaceGroup';
import { patchGroup } from './patchGroup';
import { deleteGroup, deleteUser } from './deleteResource';

/** What a /Bulk run produced: one result per operation run, in request order, and their effects. */
export interface BulkOutcome {
  readonly results: BulkResult[];
  readonly effects: Effect[];
}

/** What the caller supplies: the base URL for locations and how errors become SCIM errors. */
export interface BulkEnvironment {
  /** The SCIM base URL the client used (`https://host/stage/scim/v2`). */
  readonly baseUrl: string;
  /** Maps a thrown value to the SCIM error to report; undefined for an unexpected failure (500). */
  readonly toScimError: (e: unknown) => ScimError | undefined;
  /** Told about each unexpected failure (to log it); the operation is reported as a detail-free 500. */
  readonly onUnexpected?: (e: unknown, op: BulkOperation) => void;
}

/** The outcome of one operation: its resource id (for bulkId references), result and effect. */
interface OperationOutcome {
  readonly id: string;
  readonly result: BulkResult;
  readonly effect: Effect;
}

/**
 * Runs a BulkRequest (RFC 7644 §3.7) through the same use cases a request of its own would call,
 * in order; an operation that refers to a bulkId created later in the request waits until it
 * exists (forward references), and one whose reference never resolves fails with 409 (§3.7.1).
 * `failOnErrors` stops after that many errors. Operations are not rolled back: each one is atomic
 * on its own, and the response says exactly which succeeded.
 */
export async function runBulk(ctx: ProvisioningContext, request: BulkRequest, env: BulkEnvironment): Promise<BulkOutcome> {
  const { operations, failOnErrors } = request;
  const ids = new Map<string, string>();
  const results: (BulkResult | undefined)[] = new Array(operations.length);
  const effects: Effect[] = [];
  const stopped = () => failOnErrors !== undefined && errors >= failOnErrors;
  let pending = operations.map((op, index) => ({ op, index }));
  let errors = 0;
  let progress = true;
  while (pending.length > 0 && progress && !stopped()) {
    progress = false;
    const waiting: typeof pending = [];
    for (const item of pending) {
      if (stopped()) break;
      const { op, index } = item;
      if ([...referencedBulkIds(op)].some((id) => !ids.has(id))) {
        waiting.push(item);
        continue;
      }
      progress = true;
      const outcome = await runOperation(ctx, resolveBulkIds(op, ids), env).catch((e: unknown) => failure(op, e, env));
      if ('effect' in outcome) {
        effects.push(outcome.effect);
        if (op.method === 'POST' && op.bulkId) ids.set(op.bulkId, outcome.id);
      } else errors++;
      results[index] = outcome.result;
    }
    pending = waiting.filter((w) => results[w.index] === undefined);
  }
  for (const { op, index } of pending) {
    if (stopped()) break;
    const missing = [...referencedBulkIds(op)].filter((id) => !ids.has(id));
    results[index] = bulkFailure(op, new ScimError(409, 'invalidValue', `Operation refers to bulkId(s) that no operation created: ${missing.join(', ')}`));
    errors++;
  }
  return { results: results.filter((r): r is BulkResult => r !== undefined), effects };
}

/** Runs one operation (bulkIds already resolved) with the use case of its method and path. */
async function runOperation(ctx: ProvisioningContext, op: BulkOperation, env: BulkEnvironment): Promise<OperationOutcome> {
  const target = bulkTarget(op);
  const request = { body: op.data, expectedVersion: expectedVersions(op.version) };
  const location = (id: string) => `${env.baseUrl}/${ENDPOINT[target.resourceType]}/${encodeURIComponent(id)}`;
  const isUser = target.resourceType === 'User';
  if (target.id === undefined) {
    const { resource, effect } = await (isUser ? createUser : createGroup)(ctx, request);
    return { id: resource.id, effect, result: bulkSuccess(op, 201, location(resource.id), etagOf(resource.version)) };
  }
  const id = target.id;
  if (op.method === 'DELETE') {
    const { effect } = await (isUser ? deleteUser : deleteGroup)(ctx, id, request);
    return { id, effect, result: bulkSuccess(op, 204, location(id)) };
  }
  const useCase = op.method === 'PUT' ? (isUser ? replaceUser : replaceGroup) : isUser ? patchUser : patchGroup;
  const { resource, effect } = await useCase(ctx, id, request);
  // A group PATCH answers 204 on its own (its members may be 100,000); a bulk result says the same.
  const status = op.method === 'PATCH' && !isUser ? 204 : 200;
  return { id, effect, result: bulkSuccess(op, status, location(id), etagOf(resource.version)) };
}

function failure(op: BulkOperation, e: unknown, env: BulkEnvironment): { result: BulkResult } {
  const scimError = env.toScimError(e);
  if (scimError) return { result: bulkFailure(op, scimError) };
  env.onUnexpected?.(e, op);
  return { result: bulkInternalError(op) };
}
