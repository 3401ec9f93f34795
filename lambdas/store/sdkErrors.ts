import { StoreThrottledError } from './errors';

/**
 * SDK error mapping, done once here (the store turns DynamoDB failures into its own
 * error family; nothing above it sees an SDK error name).
 */

/** SDK error names that mean throttling (after the SDK's own retries). */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  // Outside a transaction: the item is held by a transaction; callers that can re-read catch it first.
  'TransactionConflictException',
]);

/** Cancellation reason codes that mean throttling. */
export const THROTTLING_REASONS: ReadonlySet<string> = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Maps an SDK error that means throttling to StoreThrottledError; other errors pass through. */
export function mapSdkError(e: unknown): unknown {
  if (e instanceof Error && THROTTLING.has(e.name)) return new StoreThrottledError({ cause: e });
  return e;
}

/** Whether `e` is the SDK error named `name` (compared by name: bundling may duplicate the classes). */
export function isSdkError(e: unknown, name: 'ConditionalCheckFailedException' | 'TransactionConflictException' | 'TransactionCanceledException'): e is Error {
  return e instanceof Error && e.name === name;
}

/**
 * Converts a raw AttributeValue map (cancellation reasons and ConditionalCheckFailed errors are not
 * unmarshalled by the document client) into plain values.
 */
export function fromAttributeMap(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttributeValue(v);
  return out;
}

function fromAttributeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const av = v as Record<string, unknown>;
  if ('S' in av) return av.S;
  if ('N' in av) return Number(av.N);
  if ('BOOL' in av) return av.BOOL;
  if ('NULL' in av) return null;
  if ('M' in av) return fromAttributeMap(av.M as Record<string, unknown>);
  if ('L' in av) return (av.L as unknown[]).map(fromAttributeValue);
  if ('SS' in av) return new Set(av.SS as string[]);
  if ('NS' in av) return new Set((av.NS as string[]).map(Number));
  return v;
}
