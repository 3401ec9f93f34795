import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What the counter has seen since it was attached or reset. */
export interface RequestCounts {
  /** DynamoDB API calls (a transaction is one), failed ones included. */
  requests: number;
  /** Calls by command name (`GetItemCommand`, `TransactWriteItemsCommand`, ...). */
  byCommand: Record<string, number>;
  /** Read capacity units consumed (from `ConsumedCapacity`). */
  readUnits: number;
  /** Write capacity units consumed (from `ConsumedCapacity`). */
  writeUnits: number;
  /** Scan calls: docs/design.md promises none on any request path. */
  scans: number;
  /**
   * Item-level writes requested (each Put/Update/Delete, alone, in a BatchWrite or in a transaction).
   * Counted from the requests, so it is exact on DynamoDB Local too, whose ConsumedCapacity for
   * TransactWriteItems is a constant whatever the number of items.
   */
  itemWrites: number;
}

/** A live view of the counts and a way to start over. */
export interface RequestCounter {
  readonly counts: RequestCounts;
  reset(): void;
  /** Removes the middleware. */
  detach(): void;
}

/** Commands that accept `ReturnConsumedCapacity`. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

/** Commands whose bare `CapacityUnits` are writes (DynamoDB Local reports only the total). */
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const MIDDLEWARE_NAME = 'scimRequestCounter';

/**
 * Counts DynamoDB calls and consumed capacity with an SDK middleware (benchmarks and cost tests
 * count calls this way, never by hand). Attach it to the low-level client or to the document client,
 * not both: they share one middleware stack. It sets `ReturnConsumedCapacity: 'TOTAL'` on every
 * command that supports it, which adds a few bytes to responses and nothing to their cost.
 */
export function attachRequestCounter(target: DynamoDBClient | DynamoDBDocumentClient): RequestCounter {
  const counts: RequestCounts = { requests: 0, byCommand: {}, readUnits: 0, writeUnits: 0, scans: 0, itemWrites: 0 };
  const add = (command: string, capacity: Capacity | Capacity[] | undefined): void => {
    for (const c of capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity]) {
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        counts.readUnits += c.ReadCapacityUnits ?? 0;
        counts.writeUnits += c.WriteCapacityUnits ?? 0;
      } else if (WRITE_COMMANDS.has(command)) {
        counts.writeUnits += c.CapacityUnits ?? 0;
      } else {
        counts.readUnits += c.CapacityUnits ?? 0;
      }
    }
  };
  const stack = target.middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? 'unknown';
      counts.requests += 1;
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      if (command === 'ScanCommand') counts.scans += 1;
      const input = args.input as Record<string, unknown>;
      counts.itemWrites += itemWritesOf(command, input);
      if (CAPACITY_COMMANDS.has(command) && input.ReturnConsumedCapacity === undefined) {
        args = { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } };
      }
      const result = await next(args);
      add(command, (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity);
      return result;
    },
    { step: 'initialize', name: MIDDLEWARE_NAME, override: true },
  );
  return {
    counts,
    reset() {
      counts.requests = 0;
      counts.byCommand = {};
      counts.readUnits = 0;
      counts.writeUnits = 0;
      counts.scans = 0;
      counts.itemWrites = 0;
    },
    detach() {
      stack.remove(MIDDLEWARE_NAME);
    },
  };
}

/** Item-level writes a request asks for (ConditionCheck actions write nothing). */
function itemWritesOf(command: string, input: Record<string, unknown>): number {
  switch (command) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return 1;
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as Record<string, unknown>[]).filter((a) => a.ConditionCheck === undefined).length;
    case 'BatchWriteItemCommand':
      return Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce((n, rs) => n + rs.length, 0);
    default:
      return 0;
  }
}
