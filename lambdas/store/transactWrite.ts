import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { StoreError, StoreThrottledError } from './errors';
import { THROTTLING_REASONS, fromAttributeMap, isSdkError, mapSdkError } from './sdkErrors';
import { backoff } from './backoff';

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

/** DynamoDB allows 100 actions in one TransactWriteItems. */
export const MAX_TRANSACT_ITEMS = 100;

/** How often a transaction cancelled by TransactionConflict is retried before StoreThrottledError. */
const CONFLICT_ATTEMPTS = 6;

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
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
      if (!isSdkError(e, 'TransactionCanceledException')) throw mapSdkError(e);
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
