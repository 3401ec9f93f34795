import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS pricing of one DynamoDB call, from its request and the capacity DynamoDB Local reported.
 *
 * DynamoDB Local sizes standard reads and writes correctly (1 WCU per started KB written, 1 RCU per
 * started 4 KB read strongly consistent, half that eventually consistent) but does not price
 * TransactWriteItems the way AWS does: AWS performs two underlying writes per item (prepare and
 * commit), so each action costs 2 WCU per started KB of its item; DynamoDB Local reports a figure that
 * does not follow the number of items. TransactGetItems: 2 RCU per started 4 KB per item.
 */
export interface CallCost {
  readonly command: string;
  /** As DynamoDB Local reported. */
  readonly readUnits: number;
  readonly writeUnits: number;
  /** As AWS would charge (table capacity only; GSI write replication is not included). */
  readonly readUnitsAwsPriced: number;
  readonly writeUnitsAwsPriced: number;
}

/** A running tally of priced calls plus the run-wide Scan count (never reset by the per-op counter). */
export interface PricingMeter {
  readonly calls: CallCost[];
  /** Scans over the whole run, setup included. */
  scans: number;
  /** Largest Put item seen in a transaction, bytes (to check the "≤ 1 KB per non-Put action" estimate). */
  maxTransactPutBytes: number;
  reset(): void;
  totals(): { readUnitsAwsPriced: number; writeUnitsAwsPriced: number };
}

type Av = Record<string, unknown>;

/** DynamoDB item size rules: attribute name bytes plus value bytes (numbers ~1 byte per 2 digits + 1). */
export function attributeValueSize(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const av = v as Av;
  if (typeof av.S === 'string') return Buffer.byteLength(av.S, 'utf8');
  if (typeof av.N === 'string') return Math.ceil(av.N.replace(/[-.]/g, '').length / 2) + 1;
  if (av.B instanceof Uint8Array) return av.B.byteLength;
  if (av.BOOL !== undefined || av.NULL !== undefined) return 1;
  if (Array.isArray(av.SS)) return (av.SS as string[]).reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (Array.isArray(av.NS)) return (av.NS as string[]).reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (Array.isArray(av.L)) return 3 + (av.L as unknown[]).reduce<number>((n, e) => n + 1 + attributeValueSize(e), 0);
  if (av.M && typeof av.M === 'object') return 3 + itemSize(av.M as Av);
  return 0;
}

/** Size in bytes of a marshalled item. */
export function itemSize(item: Av): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + attributeValueSize(v);
  return n;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

function reported(command: string, capacity: Capacity | Capacity[] | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const c of capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity]) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
    } else if (WRITES.has(command)) write += c.CapacityUnits ?? 0;
    else read += c.CapacityUnits ?? 0;
  }
  return { read, write };
}

const MIDDLEWARE = 'benchPricingMeter';

/**
 * Attaches the pricing meter at the build step, after the document client has marshalled the input
 * (so item sizes follow DynamoDB's rules) and attachRequestCounter has asked for
 * `ReturnConsumedCapacity`; it sees each call once (retries happen inside it).
 */
export function attachPricingMeter(doc: DynamoDBDocumentClient): PricingMeter {
  const meter: PricingMeter = {
    calls: [],
    scans: 0,
    maxTransactPutBytes: 0,
    reset() {
      this.calls.length = 0;
    },
    totals() {
      return {
        readUnitsAwsPriced: this.calls.reduce((n, c) => n + c.readUnitsAwsPriced, 0),
        writeUnitsAwsPriced: this.calls.reduce((n, c) => n + c.writeUnitsAwsPriced, 0),
      };
    },
  };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? 'unknown';
      if (command === 'ScanCommand') meter.scans += 1;
      const input = args.input as Av;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (e) {
        // A refused call (condition failed, transaction cancelled) is counted, priced at nothing.
        meter.calls.push({ command, readUnits: 0, writeUnits: 0, readUnitsAwsPriced: 0, writeUnitsAwsPriced: 0 });
        throw e;
      }
      const local = reported(command, (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity);
      let readAws = local.read;
      let writeAws = local.write;
      if (command === 'TransactWriteItemsCommand') {
        writeAws = 0;
        for (const action of (input.TransactItems ?? []) as Av[]) {
          const put = action.Put as { Item?: Av } | undefined;
          // Put: its item's size. Update/Delete/ConditionCheck: the stored item's size is not in the
          // request; the bench's items (markers, memberships, counters, small resources) are under 1 KB.
          const bytes = put?.Item ? itemSize(put.Item) : 0;
          if (put?.Item) meter.maxTransactPutBytes = Math.max(meter.maxTransactPutBytes, bytes);
          writeAws += 2 * Math.max(1, Math.ceil(bytes / 1024));
        }
      } else if (command === 'TransactGetItemsCommand') {
        // DynamoDB Local already doubles these; never price below 2 RCU per item.
        readAws = Math.max(local.read, 2 * ((input.TransactItems ?? []) as unknown[]).length);
      }
      meter.calls.push({ command, readUnits: local.read, writeUnits: local.write, readUnitsAwsPriced: readAws, writeUnitsAwsPriced: writeAws });
      return result;
    },
    { step: 'build', name: MIDDLEWARE, override: true },
  );
  return meter;
}
