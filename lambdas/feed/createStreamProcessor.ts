import type { Logger } from '@aws-lambda-powertools/logger';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { deriveEvents, type DeriveOptions } from '../events/deriveEvents';
import { keyPrefixOf } from '../events/changeRecord';
import type { ChangeEvent } from '../events/schemas';
import { toChangeRecord } from '../store/toChangeRecord';
import type { EventSink } from './EventSink';
import type { AuditLogSink } from './AuditLogSink';
import { auditEntriesOf, type AuditEntry } from '../events/auditEntry';

/** The logger calls the processor makes (a Powertools Logger fits). */
export type StreamLogger = Pick<Logger, 'error'>;

/**
 * What one key space's events are derived with: its tenant (envelope and event ids), its schemas
 * (the `returned` rules of `data.resource`) and what `data` carries.
 */
export type TenantFeed = DeriveOptions;

/**
 * Options of createStreamProcessor. A per-tenant table gives its one tenant (`tenant`, `registry`,
 * `payload`); a pooled table gives `tenantOf`, called with each record's key prefix (`acme#`), so
 * every event carries the tenant whose item changed, with that tenant's schemas.
 */
export interface StreamProcessorOptions extends Partial<DeriveOptions> {
  /** The tenant of a key prefix (pooled tables); resolves what a record is derived with. */
  readonly tenantOf?: (keyPrefix: string) => Promise<TenantFeed>;
  /** Every sink gets every event, in this order. */
  readonly sinks: readonly EventSink[];
  /** Where the audit trail of the same records goes, before the sinks get their events. @default none */
  readonly audit?: Pick<AuditLogSink, 'append'>;
  /** @default no logging */
  readonly logger?: StreamLogger;
  /** Called with the events of each group of records once every sink took them (tests, bench). */
  readonly onPublished?: (events: readonly ChangeEvent[]) => void;
}

/** Raised for the records from the first failed one on: they wait so one resource's events keep commit order. */
export class HeldBackError extends Error {
  override readonly name = 'HeldBackError';
}

/**
 * Events handed to the sinks in one go: a few PutEvents / BatchWriteItem calls per group instead of
 * one per record (a 100-record batch of creates is 4 event-log writes and 10 PutEvents, not 200).
 */
const EVENTS_PER_GROUP = 100;

/**
 * The stream handler's body: Powertools batch processing of the table's stream with partial batch
 * failures (ReportBatchItemFailures). The batch's events are derived in record order
 * (lambdas/events) and handed to every sink in groups of whole records. When a record cannot be
 * derived or a group cannot be published, that record and every later one are reported failed, so
 * Lambda resumes there (its checkpoint is the lowest failed sequence number) and a resource's
 * events never overtake each other; groups already published go again only on a whole-batch retry
 * (same ids: consumers de-duplicate). After the event source mapping's retries the batch goes to
 * the dead-letter queue (lib/ScimChangeFeed.ts).
 */
export function createStreamProcessor(options: StreamProcessorOptions) {
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    const records = event.Records ?? [];
    const failedFrom = await publishBatch(records, options);
    const position = new Map(records.map((r, i) => [r, i]));
    const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
      if ((position.get(record) ?? 0) >= failedFrom) throw new HeldBackError('not published: this record or an earlier one of the batch failed');
    };
    return processPartialResponse(event, handleRecord, new BatchProcessor(EventType.DynamoDBStreams), {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}

/** Derives and publishes a batch; returns the index of the first record not published (records.length when all were). */
async function publishBatch(records: readonly DynamoDBRecord[], options: StreamProcessorOptions): Promise<number> {
  const fail = (i: number, e: unknown, what: string) => {
    const r = records[i];
    options.logger?.error(what, {
      eventID: r?.eventID,
      sequenceNumber: r?.dynamodb?.SequenceNumber,
      errorName: e instanceof Error ? e.name : 'unknown',
      errorMessage: e instanceof Error ? e.message : String(e),
    });
    return i;
  };
  let failedFrom = records.length;
  const perRecord: ChangeEvent[][] = [];
  const auditOf: AuditEntry[][] = [];
  for (let i = 0; i < records.length; i++) {
    try {
      const record = toChangeRecord(records[i]);
      const prefix = keyPrefixOf(record);
      // Not a resource item (the stream filter keeps these out; one that gets through yields nothing).
      if (prefix === undefined) {
        perRecord.push([]);
        auditOf.push([]);
        continue;
      }
      const events = deriveEvents(record, await feedOf(prefix, options));
      perRecord.push(events);
      auditOf.push(options.audit ? auditEntriesOf(record, events) : []);
    } catch (e) {
      failedFrom = fail(i, e, 'stream record could not be read');
      break;
    }
  }
  for (let start = 0; start < perRecord.length; ) {
    let end = start;
    const group: ChangeEvent[] = [];
    // Whole records only, so a failure names a record boundary; a record is never split.
    while (end < perRecord.length && (group.length === 0 || group.length + perRecord[end].length <= EVENTS_PER_GROUP)) group.push(...perRecord[end++]);
    if (group.length > 0) {
      try {
        // The audit trail first: an event an app has seen is always in the trail.
        if (options.audit) await options.audit.append(auditOf.slice(start, end).flat());
        for (const sink of options.sinks) await sink.publish(group);
        options.onPublished?.(group);
      } catch (e) {
        return fail(start, e, 'stream records not published');
      }
    }
    start = end;
  }
  return failedFrom;
}

/** What a record of key space `prefix` is derived with: the pooled resolver's answer, or the silo tenant. */
async function feedOf(prefix: string, options: StreamProcessorOptions): Promise<TenantFeed> {
  if (options.tenantOf) return options.tenantOf(prefix);
  if (options.tenant === undefined || options.registry === undefined) throw new Error('createStreamProcessor needs tenant and registry, or tenantOf');
  // A per-tenant table holds one key space; anything else is not this tenant's to publish.
  if (prefix !== '') throw new Error(`a record of key space ${prefix} in a per-tenant table`);
  return { tenant: options.tenant, registry: options.registry, payload: options.payload };
}
