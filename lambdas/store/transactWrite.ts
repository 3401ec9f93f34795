import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { StoreError, StoreThrottledError } from './errors';

/** One action of a TransactWriteItems call, in document-client form. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Decides what a failed condition on one action means. Gets the item as it was (the store asks
 * for `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` instead of a second read) and returns the
 * domain error to throw, or `RETRY` when a concurrent writer changed what the caller read.
 */
export type OnConditionFailed = (old: Record<string, unknown> | undefined) => Error | typeof RETRY;

/** A transaction action with its meaning when its condition fails. */
export interface TxAction {
  readonly item: TransactItem;
  readonly onConditionFailed?: OnConditionFailed;
}

/** Returned by an OnConditionFailed: the caller re-reads and re-applies. */
export const RETRY = Symbol('retry');

/** Thrown when a condition failed because of a concurrent write; the store's loops catch it and re-read. */
export class ConcurrentModificationError extends StoreError {
  override readonly name = 'ConcurrentModificationError';
  constructor(options?: { cause?: unknown }) {
    super('the resource was modified concurrently', options);
  }
}

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
const THROTTLING_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** DynamoDB allows 100 actions in one TransactWriteItems. */
export const MAX_TRANSACT_ITEMS = 100;

/** How often a transaction cancelled by TransactionConflict is retried before StoreThrottledError. */
const CONFLICT_ATTEMPTS = 6;

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/** Maps an SDK error that means throttling to StoreThrottledError; other errors pass through. */
export function mapSdkError(e: unknown): unknown {
  if (e instanceof Error && THROTTLING.has(e.name)) return new StoreThrottledError({ cause: e });
  return e;
}

/** Waits a random time that grows with the attempt (full jitter). */
export function backoff(attempt: number, baseMs = 15): Promise<void> {
  const cap = baseMs * 2 ** attempt;
  return new Promise((r) => setTimeout(r, Math.random() * cap));
}

/**
 * Runs one TransactWriteItems (all or nothing) and maps its cancellation precisely:
 * the first action whose condition failed decides the error through its `onConditionFailed`;
 * `TransactionConflict` (another transaction held one of the items) is retried with jitter;
 * throttling becomes StoreThrottledError.
 */
export async function transactWrite(doc: DynamoDBDocumentClient, actions: readonly TxAction[]): Promise<void> {
  if (actions.length === 0) return;
  if (actions.length > MAX_TRANSACT_ITEMS) throw new Error(`transaction of ${actions.length} actions exceeds ${MAX_TRANSACT_ITEMS}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: actions.map((a) => a.item) }));
      return;
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'TransactionCanceledException') throw mapSdkError(e);
      const reasons = ((e as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []) as CancellationReason[];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const decide = actions[failed]?.onConditionFailed;
        const outcome = decide ? decide(reasons[failed].Item ? fromAttributeMap(reasons[failed].Item) : undefined) : RETRY;
        if (outcome === RETRY) throw new ConcurrentModificationError({ cause: e });
        throw outcome;
      }
      if (reasons.some((r) => r.Code !== undefined && THROTTLING_REASONS.has(r.Code))) throw new StoreThrottledError({ cause: e });
      const conflict = reasons.some((r) => r.Code === 'TransactionConflict') || reasons.length === 0;
      if (conflict && attempt + 1 < CONFLICT_ATTEMPTS) {
        await backoff(attempt);
        continue;
      }
      if (conflict) throw new StoreThrottledError({ cause: e });
      throw e;
    }
  }
}

/** Condition that an item exists. */
export const itemExists = 'attribute_exists(PK)';
/** Condition that an item does not exist yet (create, unique marker). */
export const itemDoesNotExist = 'attribute_not_exists(PK)';
/** Condition that a live resource item holds the version the caller read. */
export const versionMatches = 'attribute_exists(PK) AND version = :expectedVersion AND attribute_not_exists(deleting)';
/** Condition that a live resource item exists (not being deleted). */
export const resourceIsLive = 'attribute_exists(PK) AND attribute_not_exists(deleting)';
/** Condition that a unique marker still belongs to the resource (so a swap never deletes another's marker). */
export const markerOwnedBy = 'attribute_exists(PK) AND id = :ownerId';

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
