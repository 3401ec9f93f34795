import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite, queryPage } from './batch';
import { InvalidCursorError } from './errors';
import { TABLE_DEFINITION } from '../contracts/tableDefinition';
import { SILO_KEYS, type KeySpace } from './keys';

/**
 * The event log behind `GET /events`: the change events the stream handler published, kept in the
 * tenant's table for a configurable number of days (TTL), for an app that was down.
 *
 * | item            | PK                       | SK                          |
 * |-----------------|--------------------------|-----------------------------|
 * | event log entry | `EVENTLOG#<yyyy-mm-dd>`  | `<iso ms written>#<seq>`    |
 *
 * In a pooled table the partition key starts with the tenant's key prefix like every other
 * (`acme#EVENTLOG#...`): a tenant's reader queries its own partitions only.
 *
 * Why this layout:
 * - The sort key is the time the stream handler wrote the entry, made strictly increasing per
 *   writer, so one resource's events (one stream shard, processed in order) keep commit order.
 * - Writers on other shards can commit an entry with an earlier key after a reader moved past it.
 *   Readers therefore stop `SETTLE_MS` short of now, and a writer whose write took longer than
 *   half of that writes the entries again under fresh keys (same event ids): a reader may see an
 *   event twice, never miss one (de-duplicate on `id`).
 * - One partition a day: the stream handler, not the request path, writes it, at most at the pace
 *   of the stream (far below a partition's 1,000 writes a second for one tenant's IdP traffic).
 * The entry's own stream record is filtered out before the stream handler (the event source
 * mapping passes resource items only), so the log never feeds itself.
 */

/** Partition prefix of event log entries (keys.ts). */
export { EVENT_LOG_PREFIX } from './keys';

/** How far behind now readers stay, so an entry still being written is never skipped. */
export const SETTLE_MS = 5_000;

/** Most days one read walks (an empty stretch longer than that answers an empty page with a cursor further on). */
const MAX_DAYS_PER_READ = 40;

const TTL = TABLE_DEFINITION.ttlAttribute;

/** An event as the log keeps it: its id (for de-duplication) and its JSON. */
export interface LoggedEvent {
  readonly id: string;
  readonly body: string;
}

/** A page of the log. */
export interface EventLogPage {
  /** Event JSON texts in log order. */
  readonly events: string[];
  /** Pass as `after` to continue; always present (an app polls with it). */
  readonly cursor: string;
}

/** Options of EventLog. */
export interface EventLogOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days an entry is kept (TTL); also how far back a read without a cursor starts. @default 7 */
  readonly retentionDays?: number;
  /** Clock, ms since epoch. @default Date.now */
  readonly now?: () => number;
  /** The tenant's key space. @default SILO_KEYS (a per-tenant table) */
  readonly keys?: KeySpace;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Encodes a position in the log. */
function encode(sk: string): string {
  return Buffer.from(JSON.stringify({ v: 1, sk })).toString('base64url');
}

/** Decodes `after`, or throws InvalidCursorError. */
function decode(cursor: string): string {
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; sk?: unknown };
    if (c.v !== 1 || typeof c.sk !== 'string' || Number.isNaN(Date.parse(c.sk.slice(0, 24)))) throw new Error('bad shape');
    return c.sk;
  } catch (e) {
    throw new InvalidCursorError('the cursor is not one GET /events issued', { cause: e });
  }
}

/** The event log of one tenant's table (see the layout above). */
export class EventLog {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private readonly keys: KeySpace;
  private last = 0;
  private seq = 0;

  constructor(opts: EventLogOptions) {
    this.doc = opts.doc;
    this.table = opts.tableName;
    this.retentionDays = opts.retentionDays ?? 7;
    this.now = opts.now ?? Date.now;
    this.keys = opts.keys ?? SILO_KEYS;
  }

  /** A strictly increasing sort key for this writer. */
  private nextKey(): { PK: string; SK: string; at: number } {
    const t = this.now();
    if (t > this.last) {
      this.last = t;
      this.seq = 0;
    } else {
      this.seq += 1;
    }
    return { PK: this.keys.eventLogPartition(dayOf(this.last)), SK: `${new Date(this.last).toISOString()}#${String(this.seq).padStart(6, '0')}`, at: this.last };
  }

  /**
   * Appends events in the given order (BatchWriteItem, 25 a call). Written again under fresh keys
   * when the write outlasted SETTLE_MS / 2, so no reader can have skipped past them (see above).
   */
  async append(events: readonly LoggedEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = this.now();
      const expiresAt = Math.floor(started / 1000) + this.retentionDays * 86_400;
      const puts = events.map((e) => {
        const { at: _at, ...key } = this.nextKey();
        return { put: { ...key, eventId: e.id, body: e.body, [TTL]: expiresAt } };
      });
      await batchWrite(this.doc, this.table, puts);
      if (this.now() - started <= SETTLE_MS / 2) return;
    }
    throw new Error(`event log writes kept taking longer than ${SETTLE_MS / 2} ms`);
  }

  /**
   * Reads up to `limit` events after `after` (a cursor from a previous page; none starts at the
   * oldest retained day), in log order, strongly consistent, never past now - SETTLE_MS. The
   * returned cursor moves past empty stretches too, so polling an idle log costs one Query. A page
   * also stops before `maxBytes` of event text (at least one event), to fit a Lambda response.
   */
  async read(after: string | undefined, limit: number, maxBytes = Number.POSITIVE_INFINITY): Promise<EventLogPage> {
    const now = this.now();
    const upper = new Date(now - SETTLE_MS).toISOString();
    const oldest = now - this.retentionDays * 86_400_000;
    let from = after !== undefined ? decode(after) : new Date(oldest).toISOString();
    if (from < new Date(oldest - 86_400_000).toISOString()) from = new Date(oldest).toISOString();
    const events: string[] = [];
    let bytes = 0;
    let full = false;
    let position = from;
    let day = Date.parse(`${from.slice(0, 10)}T00:00:00.000Z`);
    for (let walked = 0; walked < MAX_DAYS_PER_READ && events.length < limit; walked++, day += 86_400_000) {
      const dayKey = dayOf(day);
      if (dayKey > upper.slice(0, 10) || `${position} ` > upper) break;
      let start: Record<string, unknown> | undefined;
      // `position + ' '` is the least key after it: ' ' sorts below '#', which follows the time in every key.
      do {
        const page = await queryPage(this.doc, {
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :upper',
          ExpressionAttributeValues: { ':pk': this.keys.eventLogPartition(dayKey), ':from': `${position} `, ':upper': upper },
          ProjectionExpression: 'SK, body',
          ConsistentRead: true,
          Limit: limit - events.length,
          ExclusiveStartKey: start,
        });
        for (const item of page.items) {
          const body = item.body as string;
          if (events.length > 0 && bytes + body.length > maxBytes) {
            full = true;
            break;
          }
          events.push(body);
          bytes += body.length;
          position = item.SK as string;
        }
        start = page.lastKey;
      } while (start && events.length < limit && !full);
      if (events.length >= limit || full) break;
      // Nothing more this day up to `upper`: the position can move to the day's end (or to upper).
      const dayEnd = `${dayKey}T23:59:59.999Z~`;
      position = dayEnd < upper ? dayEnd : upper;
    }
    return { events, cursor: encode(position) };
  }
}
