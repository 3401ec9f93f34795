import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { backoff } from './backoff';
import { mapSdkError } from './sdkErrors';
import { StoreThrottledError } from './errors';
import { keyFits, type Key } from './keys';

/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_KEYS = 100;
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_ITEMS = 25;
/** How many times unprocessed keys/items are resent before giving up as throttled. */
const UNPROCESSED_ATTEMPTS = 8;

type Item = Record<string, unknown>;

/**
 * Reads up to any number of keys with BatchGetItem (100 keys a call, calls in parallel),
 * resending UnprocessedKeys with backoff. Returns the items found, keyed by `PK|SK`.
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { consistent?: boolean; projection?: string; parallel?: number } = {},
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  // Keys over DynamoDB's size limits (ids taken from requests) name no item and would fail the whole batch.
  const unique = dedupeKeys(keys.filter((k) => keyFits(k)));
  const chunks: Key[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) chunks.push(unique.slice(i, i + BATCH_GET_KEYS));
  await mapLimited(chunks, options.parallel ?? 16, async (chunk) => {
    let pending: Key[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new StoreThrottledError();
      if (attempt > 0) await backoff(attempt, 25);
      const request: Record<string, unknown> = { Keys: pending, ConsistentRead: options.consistent ?? false };
      if (options.projection) {
        request.ProjectionExpression = options.projection
          .split(',')
          .map((_, i) => `#p${i}`)
          .join(',');
        request.ExpressionAttributeNames = Object.fromEntries(options.projection.split(',').map((p, i) => [`#p${i}`, p.trim()]));
      }
      const res = await send(() =>
        doc.send(new BatchGetCommand({ RequestItems: { [tableName]: request as { Keys: Key[] } } })),
      );
      for (const item of res.Responses?.[tableName] ?? []) found.set(keyString(item as Key), item);
      pending = (res.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
  });
  return found;
}

/** A BatchWriteItem request: a put of an item or a delete of a key. */
export type WriteRequest = { put: Item } | { delete: Key };

/**
 * Writes any number of independent, idempotent puts/deletes with BatchWriteItem (25 a call),
 * resending UnprocessedItems with backoff. Not atomic: only for cleanup that converges on retry.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: { parallel?: number } = {},
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_ITEMS) chunks.push(requests.slice(i, i + BATCH_WRITE_ITEMS));
  const parallel = options.parallel ?? 4;
  for (let i = 0; i < chunks.length; i += parallel) {
    await Promise.all(
      chunks.slice(i, i + parallel).map(async (chunk) => {
        let pending = chunk.map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt >= UNPROCESSED_ATTEMPTS) throw new StoreThrottledError();
          if (attempt > 0) await backoff(attempt, 25);
          const res = await send(() => doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })));
          pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }),
    );
  }
}

/** One page of a Query. */
export interface QueryPage {
  items: Item[];
  lastKey?: Record<string, unknown>;
}

/** Runs one Query call (one page). */
export async function queryPage(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<QueryPage> {
  const res = await send(() => doc.send(new QueryCommand(input)));
  return { items: (res.Items ?? []) as Item[], lastKey: res.LastEvaluatedKey };
}

/**
 * Counts what a Query matches (Select COUNT, page after page: each page reads up to 1 MB of the
 * index, so a count costs the size of the range, not of its items' data).
 */
export async function queryCount(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> {
  let total = 0;
  let start = input.ExclusiveStartKey;
  for (;;) {
    const res = await send(() => doc.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: start })));
    total += res.Count ?? 0;
    if (!res.LastEvaluatedKey) return total;
    start = res.LastEvaluatedKey;
  }
}

/**
 * Runs a Query to the end or until `max` items were read; `truncated` says whether more remained.
 * Bounded on purpose: no request path reads an unbounded partition.
 */
export async function queryBounded(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  max: number,
): Promise<{ items: Item[]; truncated: boolean }> {
  const items: Item[] = [];
  let start = input.ExclusiveStartKey;
  for (;;) {
    const page = await queryPage(doc, { ...input, ExclusiveStartKey: start, Limit: Math.min(max + 1 - items.length, input.Limit ?? 1000) });
    items.push(...page.items);
    if (items.length > max) return { items: items.slice(0, max), truncated: true };
    if (!page.lastKey) return { items, truncated: false };
    start = page.lastKey;
  }
}

/** `PK|SK` of a key or item, for maps and dedupe. */
export function keyString(k: Key): string {
  return `${k.PK}|${k.SK}`;
}

function dedupeKeys(keys: readonly Key[]): Key[] {
  const seen = new Map<string, Key>();
  for (const k of keys) seen.set(keyString(k), { PK: k.PK, SK: k.SK });
  return [...seen.values()];
}

async function send<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw mapSdkError(e);
  }
}

/** Runs `f` over `items` with at most `limit` calls in flight. */
async function mapLimited<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await f(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
