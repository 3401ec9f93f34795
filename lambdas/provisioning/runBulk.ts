import { ScimError } from '../scim/errors';
import { etagOf, expectedVersions } from '../scim/etag';
import { ENDPOINT } from '../scim/render';
import {
  bulkFailure,
  bulkInternalError,
  bulkSuccess,
  bulkTarget,
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
import { scheduleBulk } from './scheduleBulk';

/** What a /Bulk run produced: one result per operation run, in request order, and their effects. */
export interface BulkOutcome {
  readonly results: BulkResult[];
  readonly effects: Effect[];
  /** Results by request index (undefined: not processed, after failOnErrors). */
  readonly byIndex: readonly (BulkResult | undefined)[];
  /** True when the time budget left operations unstarted (answered 503 to resend). */
  readonly deadlineHit: boolean;
}

/** What the caller supplies: the base URL for locations and how errors become SCIM errors. */
export interface BulkEnvironment {
  /** The SCIM base URL the client used (`https://host/stage/scim/v2`). */
  readonly baseUrl: string;
  /** Maps a thrown value to the SCIM error to report; undefined for an unexpected failure (500). */
  readonly toScimError: (e: unknown) => ScimError | undefined;
  /** Told about each unexpected failure (to log it); the operation is reported as a detail-free 500. */
  readonly onUnexpected?: (e: unknown, op: BulkOperation) => void;
  /** Milliseconds the invocation has left (context.getRemainingTimeInMillis). @default unlimited */
  readonly remainingMs?: () => number;
  /** Milliseconds kept to answer after the last operation. @default 1000 */
  readonly reserveMs?: number;
  /** Operations in flight at once. @default BULK_CONCURRENCY */
  readonly concurrency?: number;
  /** The order operations are considered in (indexes). @default request order */
  readonly order?: readonly number[];
  /**
   * Called before an operation runs (bulkIds resolved); its value is handed to `afterOperation`,
   * and its `newId`, if any, is the id a POST creates its resource with.
   */
  readonly beforeOperation?: (op: BulkOperation) => Promise<{ readonly newId?: string } | undefined>;
  /** Called after an operation succeeded. */
  readonly afterOperation?: (index: number, op: BulkOperation, result: BulkResult, captured: unknown) => void;
}

/** Operations of one BulkRequest in flight at once: enough to hide DynamoDB latency, few enough for its throughput. */
export const BULK_CONCURRENCY = 8;

/** Seconds a client waits before resending the operations answered 503 (RFC 9110 §10.2.3). */
export const BULK_RETRY_AFTER_SECONDS = 1;

/** How long an operation is assumed to take before one has been measured (a create with a password at 0.3 vCPU). */
const INITIAL_OPERATION_ESTIMATE_MS = 1_000;

/** The outcome of one operation: its resource id (for bulkId references), result and effect. */
interface OperationOutcome {
  readonly id: string;
  readonly result: BulkResult;
  readonly effect: Effect;
}

/**
 * Runs a BulkRequest (RFC 7644 §3.7) through the same use cases a request of its own would call.
 * Independent operations run `concurrency` at a time; one that refers to a bulkId waits for the
 * operation creating it (forward references too), one touching a resource an earlier one touches
 * waits for it, and one whose reference never resolves fails with 409 (§3.7.1). `failOnErrors`
 * stops starting operations after that many errors. An operation starts only while the invocation
 * has time to finish it (scheduleBulk.ts): each is atomic and is never cut off half-applied; those
 * left are answered 503, for the client to resend after BULK_RETRY_AFTER_SECONDS.
 */
export async function runBulk(ctx: ProvisioningContext, request: BulkRequest, env: BulkEnvironment): Promise<BulkOutcome> {
  const { operations, failOnErrors } = request;
  const order = env.order ?? operations.map((_, i) => i);
  const results: (BulkResult | undefined)[] = Array.from({ length: operations.length }, () => undefined);
  const effects: Effect[] = [];
  const outcomes = await scheduleBulk(
    order.map((i) => operations[i]),
    async (op, k, ids) => {
      const index = order[k];
      const resolved = resolveBulkIds(op, ids);
      let captured: unknown;
      try {
        captured = await env.beforeOperation?.(resolved);
      } catch (e) {
        results[index] = failure(op, e, env).result;
        return { ok: false };
      }
      const outcome = await runOperation(ctx, resolved, env, (captured as { newId?: string } | undefined)?.newId).catch((e: unknown) => failure(op, e, env));
      results[index] = outcome.result;
      if (!('effect' in outcome)) return { ok: false };
      effects.push(outcome.effect);
      env.afterOperation?.(index, op, outcome.result, captured);
      return { ok: true, createdId: outcome.id };
    },
    {
      concurrency: env.concurrency ?? BULK_CONCURRENCY,
      failOnErrors,
      remainingMs: env.remainingMs ?? (() => Number.MAX_SAFE_INTEGER),
      reserveMs: env.reserveMs ?? 1_000,
      initialEstimateMs: INITIAL_OPERATION_ESTIMATE_MS,
    },
  );
  let deadlineHit = false;
  outcomes.forEach((outcome, k) => {
    const index = order[k];
    if (!('reason' in outcome)) return;
    const op = operations[index];
    if (outcome.reason === 'deadline') {
      deadlineHit = true;
      results[index] = bulkFailure(
        op,
        new ScimError(
          503,
          undefined,
          `Not started: this BulkRequest ran out of time before it. Nothing of it was applied; resend it (and the other operations answered 503) after ${BULK_RETRY_AFTER_SECONDS} s, ` +
            'replacing bulkId references to operations that succeeded with the ids in their location',
        ),
      );
    } else if (outcome.reason === 'unresolved') {
      results[index] = bulkFailure(op, new ScimError(409, 'invalidValue', `Operation refers to bulkId(s) that no operation created: ${outcome.bulkIds.join(', ')}`));
    }
    // 'stopped' (failOnErrors): not processed, so not reported (RFC 7644 §3.7.3).
  });
  return { results: results.filter((r): r is BulkResult => r !== undefined), effects, byIndex: results, deadlineHit };
}

/** Runs one operation (bulkIds already resolved) with the use case of its method and path. */
async function runOperation(ctx: ProvisioningContext, op: BulkOperation, env: BulkEnvironment, newId?: string): Promise<OperationOutcome> {
  const target = bulkTarget(op);
  const request = { body: op.data, expectedVersion: expectedVersions(op.version), newId };
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
