/**
 * How /Bulk runs its operations within one invocation: concurrently where they are independent,
 * in request order where they touch the same resource, after the operations whose bulkId they
 * reference (RFC 7644 §3.7.2), and only while the invocation has time to finish what it starts.
 * No I/O of its own: it is given the operation runner and the clock.
 */
import { forEachString, referencedBulkIds } from '../scim/messages';

/** An operation as the scheduler sees it. */
export interface SchedulableOperation {
  readonly method: string;
  readonly path: string;
  readonly bulkId?: string;
  readonly data?: unknown;
}

/** The outcome of one started operation. */
export interface OperationOutcome {
  readonly ok: boolean;
  /** For a successful POST: the id created for its bulkId. */
  readonly createdId?: string;
}

/** Why an operation was never started. */
export type NotStarted =
  /** The time budget ran out first: the client retries it (503, Retry-After). */
  | { readonly reason: 'deadline' }
  /** It references a bulkId whose operation failed, was never started, or does not exist (409). */
  | { readonly reason: 'unresolved'; readonly bulkIds: readonly string[] }
  /** failOnErrors (or all-or-nothing mode) stopped the request before it. */
  | { readonly reason: 'stopped' };

/** Options of {@link scheduleBulk}. */
export interface ScheduleOptions {
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Milliseconds the invocation has left (Lambda's context.getRemainingTimeInMillis). */
  readonly remainingMs: () => number;
  /** Milliseconds kept for writing the BulkResponse after the last operation. */
  readonly reserveMs: number;
  /** Longest an operation is assumed to take before one has been measured. */
  readonly initialEstimateMs: number;
  /** Stop starting operations after this many failures (RFC 7644 §3.7.3 failOnErrors). */
  readonly failOnErrors?: number;
  /** Clock for measuring operations. @default Date.now */
  readonly now?: () => number;
}

/** Every string in an operation's path and data, lower-cased: the ids it may touch. */
function mentions(op: SchedulableOperation): Set<string> {
  const found = new Set<string>();
  forEachString(op, (v) => found.add(v.toLowerCase()));
  return found;
}

/** The resource an operation writes (`/Users/{id}` → the id, or its `bulkId:x`); undefined for a POST. */
function targetOf(op: SchedulableOperation): string | undefined {
  const segments = op.path.split('/').filter(Boolean);
  return segments.length >= 2 ? segments[1].toLowerCase() : undefined;
}

/**
 * Runs `operations` with `run` and returns, for each index, either its run's outcome or why it
 * never started. Two operations are ordered (the later waits for the earlier) when one writes a
 * resource the other names, by id or by bulkId; all others may run at once, up to `concurrency`.
 * An operation starts only while `remainingMs() - reserveMs` exceeds the longest operation seen
 * so far (three times over, at least `initialEstimateMs`): a started operation always completes inside
 * the invocation, so none is cut off half-applied, and the rest are reported as not started.
 */
export async function scheduleBulk<O extends SchedulableOperation>(
  operations: readonly O[],
  run: (op: O, index: number, ids: ReadonlyMap<string, string>) => Promise<OperationOutcome>,
  options: ScheduleOptions,
): Promise<Array<OperationOutcome | NotStarted>> {
  const now = options.now ?? Date.now;
  const n = operations.length;
  // Array.from, not new Array(n): map() skips the holes of a sparse array.
  const results: Array<OperationOutcome | NotStarted | undefined> = Array.from({ length: n }, () => undefined);
  const refs = operations.map(referencedBulkIds);
  const targets = operations.map(targetOf);
  const named = operations.map(mentions);
  const creatorOf = new Map<string, number>();
  operations.forEach((op, i) => {
    if (op.method === 'POST' && op.bulkId && !creatorOf.has(op.bulkId)) creatorOf.set(op.bulkId, i);
  });
  // Earlier operations each one must wait for (same target, or one names the other's target).
  const before: number[][] = operations.map((_, j) => {
    const waits: number[] = [];
    for (let i = 0; i < j; i++) {
      const ti = targets[i];
      const tj = targets[j];
      if ((ti !== undefined && (ti === tj || named[j].has(ti))) || (tj !== undefined && named[i].has(tj))) waits.push(i);
    }
    return waits;
  });

  const ids = new Map<string, string>();
  const running = new Map<number, Promise<void>>();
  let failures = 0;
  let longestMs = 0;
  const stopped = () => options.failOnErrors !== undefined && failures >= options.failOnErrors;
  // With failOnErrors f and e errors so far, at most f - e operations may be in flight: were they
  // all to fail, none would have started after the f-th error, as in sequential processing.
  // Slow start: one operation until one has been measured, so the first wave cannot overrun.
  let finished = 0;
  const slots = () =>
    Math.min(finished === 0 ? 1 : options.concurrency, options.failOnErrors === undefined ? Infinity : options.failOnErrors - failures);
  // Three times the slowest operation seen: latency has a tail, and a started operation cannot be stopped.
  const hasTime = () => options.remainingMs() - options.reserveMs > Math.max(options.initialEstimateMs, 3 * longestMs);

  const start = (i: number): void => {
    const startedAt = now();
    const p = run(operations[i], i, ids)
      .catch((): OperationOutcome => ({ ok: false }))
      .then((outcome) => {
        longestMs = Math.max(longestMs, now() - startedAt);
        finished++;
        results[i] = outcome;
        if (!outcome.ok) failures++;
        const op = operations[i];
        if (outcome.ok && op.method === 'POST' && op.bulkId && outcome.createdId) ids.set(op.bulkId, outcome.createdId);
        running.delete(i);
      });
    running.set(i, p);
  };

  for (;;) {
    let progressed = false;
    for (let i = 0; i < n && running.size < slots(); i++) {
      if (results[i] !== undefined || running.has(i)) continue;
      if (stopped()) break;
      if (before[i].some((k) => results[k] === undefined)) continue;
      // A reference is settled once its creator finished; unresolvable ones fail this operation.
      const pendingRefs = [...refs[i]].filter((b) => !ids.has(b));
      const waitingOn = pendingRefs.filter((b) => creatorOf.has(b) && results[creatorOf.get(b)!] === undefined);
      if (waitingOn.length > 0) continue;
      if (pendingRefs.length > 0) {
        const deadlineOnly = pendingRefs.every((b) => (results[creatorOf.get(b) ?? -1] as NotStarted | undefined)?.reason === 'deadline');
        results[i] = deadlineOnly ? { reason: 'deadline' } : { reason: 'unresolved', bulkIds: pendingRefs };
        if (!deadlineOnly) failures++;
        progressed = true;
        continue;
      }
      if (!hasTime()) break;
      start(i);
      progressed = true;
    }
    if (running.size > 0) {
      await Promise.race(running.values());
      continue;
    }
    if (!progressed) break;
  }
  // What never started: stopped by failOnErrors, or out of time (or waiting on an operation that was).
  return results.map((r) => r ?? (stopped() ? { reason: 'stopped' } : { reason: 'deadline' }));
}
