import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError } from './errors';
import { KeySpace, keyFits, type Key } from './keys';
import { batchGet, batchWrite, queryBounded, queryCount, queryPage, type QueryPage, type WriteRequest } from './batch';
import { ConcurrentModificationError, RETRY, transactWrite, type OnConditionFailed, type TxAction } from './transactWrite';
import { fromAttributeMap, isSdkError, mapSdkError } from './sdkErrors';
import { backoff } from './backoff';
import { queryHash } from './paging';
import { loadCursorKey } from './cursorKey';
import type { ScimStoreOptions } from './types';
import { MAX_FILTER_SCAN } from '../contracts/limits';
import { AUDIT_RETENTION_DAYS, PAGE_CURSOR_TTL_SECONDS } from '../contracts/ttls';

/** How often an optimistic read-decide-write step runs before the caller is told to slow down. */
export const UPDATE_ATTEMPTS = 12;

/** The store's bounds, resolved from ScimStoreOptions. */
export interface StoreLimits {
  readonly maxScanItems: number;
  readonly maxReplaceRead: number;
  readonly maxNestedGroups: number;
  readonly auditRetentionDays: number;
  readonly pageCursorTtlSeconds: number;
  readonly sortedIndexes: boolean;
}

/**
 * Everything the aggregate modules share about one tenant's table: the client, table name, key
 * space, clock, id generator and limits, plus the few calls every module makes (a consistent
 * GetItem, a conditional UpdateItem, a transaction, batch and query helpers), each mapping SDK
 * errors to the store's error family once. Like Powertools' DynamoDBPersistenceLayer it holds no
 * SCIM decision.
 */
export class TableContext {
  /** The document client. */
  readonly doc: DynamoDBDocumentClient;
  /** The table name. */
  readonly table: string;
  /** The tenant's keys. */
  readonly keys: KeySpace;
  /** The injected clock. */
  readonly now: () => Date;
  /** The injected id generator. */
  readonly newId: () => string;
  /** Bounds. */
  readonly limits: StoreLimits;

  constructor(opts: ScimStoreOptions) {
    this.doc = opts.doc;
    this.table = opts.tableName;
    this.keys = new KeySpace(opts.keyPrefix ?? '');
    this.now = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? randomUUID;
    this.limits = {
      maxScanItems: opts.maxScanItems ?? MAX_FILTER_SCAN,
      maxReplaceRead: opts.maxReplaceRead ?? 200_000,
      maxNestedGroups: opts.maxNestedGroups ?? 1000,
      auditRetentionDays: opts.auditRetentionDays ?? AUDIT_RETENTION_DAYS,
      pageCursorTtlSeconds: opts.pageCursorTtlSeconds ?? PAGE_CURSOR_TTL_SECONDS,
      sortedIndexes: opts.sortedIndexes ?? true,
    };
  }

  /** A strongly consistent GetItem; a key DynamoDB would reject names no item (undefined). */
  async getItem(key: Key, projection?: string): Promise<Record<string, unknown> | undefined> {
    // An over-long id or filter value from a request names no item; DynamoDB would answer ValidationException.
    if (!keyFits(key)) return undefined;
    const input: Record<string, unknown> = { TableName: this.table, Key: key, ConsistentRead: true };
    if (projection) {
      const names = projection.split(',').map((p) => p.trim());
      input.ProjectionExpression = names.map((_, i) => `#p${i}`).join(', ');
      input.ExpressionAttributeNames = Object.fromEntries(names.map((n, i) => [`#p${i}`, n]));
    }
    const res = await this.send(() => this.doc.send(new GetCommand(input as unknown as ConstructorParameters<typeof GetCommand>[0])));
    return res.Item;
  }

  /**
   * One conditional UpdateItem; a failed condition is decided by `onFailed` from the item as it was
   * (ALL_OLD, no second read), RETRY becoming ConcurrentModificationError.
   */
  async conditionalUpdate(input: UpdateCommandInput, onFailed: OnConditionFailed): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    } catch (e) {
      // A write on an item a transaction holds is refused with TransactionConflictException: re-read and retry.
      if (isSdkError(e, 'TransactionConflictException')) throw new ConcurrentModificationError({ cause: e });
      if (isSdkError(e, 'ConditionalCheckFailedException')) {
        const raw = (e as { Item?: Record<string, unknown> }).Item;
        const outcome = onFailed(raw ? fromAttributeMap(raw) : undefined);
        throw outcome === RETRY ? new ConcurrentModificationError({ cause: e }) : outcome;
      }
      throw mapSdkError(e);
    }
  }

  /** An UpdateItem whose failed condition means "nothing to do" (returns false). */
  async updateIfPresent(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (e) {
      if (isSdkError(e, 'ConditionalCheckFailedException')) return false;
      throw mapSdkError(e);
    }
  }

  /** An unconditional DeleteItem (idempotent). */
  async deleteItem(key: Key): Promise<void> {
    await this.send(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: key })));
  }

  /** An unconditional PutItem. */
  async putItem(item: Record<string, unknown>): Promise<void> {
    await this.send(() => this.doc.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  /** One TransactWriteItems (see transactWrite.ts). */
  transact(actions: readonly TxAction[]): Promise<void> {
    return transactWrite(this.doc, actions);
  }

  /** BatchGetItem of any number of keys, keyed by `PK|SK`. */
  batchGet(keys: readonly Key[], options?: { consistent?: boolean; projection?: string; parallel?: number }): Promise<Map<string, Record<string, unknown>>> {
    return batchGet(this.doc, this.table, keys, options);
  }

  /** BatchWriteItem of independent, idempotent puts/deletes. */
  batchWrite(requests: readonly WriteRequest[], options?: { parallel?: number }): Promise<void> {
    return batchWrite(this.doc, this.table, requests, options);
  }

  /** One Query page on this table. */
  queryPage(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueryPage> {
    return queryPage(this.doc, { ...input, TableName: this.table });
  }

  /** How many items a Query on this table matches (Select COUNT, every page). */
  queryCount(input: Omit<QueryCommandInput, 'TableName'>): Promise<number> {
    return queryCount(this.doc, { ...input, TableName: this.table });
  }

  /** A Query on this table, to the end or `max` items. */
  queryBounded(input: Omit<QueryCommandInput, 'TableName'>, max: number): Promise<{ items: Record<string, unknown>[]; truncated: boolean }> {
    return queryBounded(this.doc, { ...input, TableName: this.table }, max);
  }

  /** Runs an SDK call, mapping its errors (throttling -> StoreThrottledError). */
  async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw mapSdkError(e);
    }
  }

  #cursorKey?: Promise<Buffer>;

  /** The tenant's cursor HMAC key, read (or made) once per container. */
  cursorKey(): Promise<Buffer> {
    this.#cursorKey ??= loadCursorKey(this).catch((e: unknown) => {
      this.#cursorKey = undefined;
      throw e;
    });
    return this.#cursorKey;
  }

  /** The hash binding a cursor to its query, inside this key space (a cursor never crosses tenants). */
  queryHash(...parts: string[]): string {
    return this.keys.prefix === '' ? queryHash(...parts) : queryHash(this.keys.prefix, ...parts);
  }
}

/**
 * Runs one optimistic read-decide-write step, again from a fresh read when a concurrent writer won
 * (ConcurrentModificationError), with jittered backoff; after UPDATE_ATTEMPTS the caller is told
 * to slow down. Every other error passes through.
 */
export async function retryOnConcurrentWrite<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof ConcurrentModificationError)) throw e;
      await backoff(attempt);
    }
  }
  throw new StoreThrottledError();
}
