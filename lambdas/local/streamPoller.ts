import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { passesStreamFilter, STREAM_SETTINGS } from '../feed/streamSettings';

/** The stream handler as deployed (lambdas/handlers/stream.ts builds the same function). */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Options of startStreamPoller. */
export interface StreamPollerOptions {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  readonly handler: StreamHandler;
  /** Where a new shard starts: TRIM_HORIZON (everything retained) or LATEST (from now). @default 'TRIM_HORIZON' */
  readonly startAt?: 'TRIM_HORIZON' | 'LATEST';
  /**
   * Pause between polls of a shard that is not behind, ms. @default SHARD_POLL_INTERVAL_MS (250:
   * Lambda polls each shard 4 times a second)
   */
  readonly pollIntervalMs?: number;
  /** Where a batch that exhausted its retries is reported (the stack sends it to the dead-letter queue). */
  readonly onDeadLetter?: (records: readonly DynamoDBRecord[], error: string) => void;
}

/**
 * Lambda's event source mapping polls each shard of a DynamoDB stream at a base rate of 4 times a
 * second, and sooner only while it is behind (a full page). Polling as fast as DynamoDB Local
 * answers instead took a GetRecords and a DescribeStream per stream record under a steady write
 * load: the feed then cost DynamoDB Local more CPU than the requests that wrote the records.
 */
export const SHARD_POLL_INTERVAL_MS = 250;

/** Records per GetRecords, DynamoDB Streams' maximum; a full page means the shard has more. */
const GET_RECORDS_LIMIT = 1000;

/**
 * How often the shard list is read again, besides at start and when a shard closes (its child
 * shards then hold the newer records).
 */
const DISCOVER_INTERVAL_MS = 10_000;

/** A running poller. */
export interface StreamPoller {
  /** Resolves once every record committed before the call has been handled (tests, bench). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface ShardState {
  iterator?: string;
  /** Records fetched but not yet handled successfully (a failed batch's tail). */
  pending: StreamRecord[];
  attempts: number;
  closed: boolean;
}

/**
 * Runs the stream handler against DynamoDB Local's table stream the way Lambda's event source
 * mapping runs it on AWS: GetRecords per shard, the same resource-item filter, batches of
 * STREAM_SETTINGS.batchSize, and on a partial batch failure a retry from the first failed record
 * (ReportBatchItemFailures) up to STREAM_SETTINGS.retryAttempts, then the dead-letter report.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const table = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream: create it with createTable (StreamSpecification)`);
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const shards = new Map<string, ShardState>();
  const pollIntervalMs = options.pollIntervalMs ?? SHARD_POLL_INTERVAL_MS;
  let stopped = false;
  let first = true;
  let discoveredAt = 0;
  let shardClosed = false;
  let waiters: { since: number; resolve: () => void }[] = [];
  let roundsCompleted = 0;
  // Ends the pause between polls early: a drain (tests, bench) or stop need not wait for it.
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  const discover = async () => {
    const d = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of d.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue;
      // Shards found after the first look are new (child shards): read them from their start.
      const type = first ? (options.startAt ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
      const it = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: type }));
      shards.set(shard.ShardId, { iterator: it.ShardIterator, pending: [], attempts: 0, closed: !it.ShardIterator });
    }
    first = false;
  };

  const toLambdaRecord = (r: StreamRecord): DynamoDBRecord => r as unknown as DynamoDBRecord;

  /** Handles the shard's pending records in batches; false when a batch failed (retry later). */
  const handlePending = async (state: ShardState): Promise<boolean> => {
    while (state.pending.length > 0) {
      const batch = state.pending.slice(0, STREAM_SETTINGS.batchSize);
      const wanted = batch.filter((r) => passesStreamFilter(r.dynamodb as Parameters<typeof passesStreamFilter>[0]));
      let failedAt = -1;
      let error = '';
      if (wanted.length > 0) {
        try {
          const res = await options.handler({ Records: wanted.map(toLambdaRecord) });
          const failedIds = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
          failedAt = wanted.findIndex((r) => failedIds.has(r.dynamodb?.SequenceNumber ?? ''));
          if (failedAt >= 0) error = 'partial batch failure';
        } catch (e) {
          failedAt = 0;
          error = e instanceof Error ? e.message : String(e);
        }
      }
      if (failedAt < 0) {
        state.pending = state.pending.slice(batch.length);
        state.attempts = 0;
        continue;
      }
      // Resume at the failed record, like Lambda's checkpoint on the lowest failed sequence number.
      const resumeAt = batch.indexOf(wanted[failedAt]);
      state.pending = state.pending.slice(resumeAt);
      state.attempts += 1;
      if (state.attempts > STREAM_SETTINGS.retryAttempts) {
        const dead = state.pending.slice(0, STREAM_SETTINGS.batchSize);
        options.onDeadLetter?.(dead.map(toLambdaRecord), error);
        state.pending = state.pending.slice(dead.length);
        state.attempts = 0;
        continue;
      }
      return false;
    }
    return true;
  };

  /** One poll of every shard: whether it found records, whether a batch failed, whether a shard is behind. */
  const round = async (): Promise<{ busy: boolean; failed: boolean; behind: boolean }> => {
    if (first || shardClosed || Date.now() - discoveredAt >= DISCOVER_INTERVAL_MS) {
      shardClosed = false;
      await discover();
      discoveredAt = Date.now();
    }
    let busy = false;
    let failed = false;
    let behind = false;
    for (const state of shards.values()) {
      if (!(await handlePending(state))) {
        busy = failed = true;
        continue;
      }
      if (state.closed || !state.iterator) continue;
      const res = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: GET_RECORDS_LIMIT }));
      state.iterator = res.NextShardIterator;
      if (!state.iterator) state.closed = shardClosed = true;
      const records = res.Records ?? [];
      if (records.length >= GET_RECORDS_LIMIT) behind = true;
      if (records.length > 0) {
        busy = true;
        state.pending.push(...records);
        if (!(await handlePending(state))) failed = true;
      }
    }
    return { busy, failed, behind };
  };

  const loop = (async () => {
    while (!stopped) {
      let outcome = { busy: false, failed: true, behind: false };
      const started = roundsCompleted;
      try {
        outcome = await round();
      } catch {
        // DynamoDB Local restarting or a closed iterator: look again next round.
      }
      roundsCompleted = started + 1;
      const idle = !outcome.busy && [...shards.values()].every((s) => s.pending.length === 0);
      if (idle) {
        const ready = waiters.filter((w) => w.since < roundsCompleted - 1);
        waiters = waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve();
      }
      // Poll again at once while a shard is behind, or while a drain waits for an idle round
      // (unless a batch failed: its retry waits a poll interval, as Lambda's retries back off).
      if (stopped || outcome.behind || (waiters.length > 0 && !outcome.failed)) continue;
      await pause(pollIntervalMs);
    }
  })();

  return {
    drain: () =>
      new Promise<void>((resolve) => {
        waiters.push({ since: roundsCompleted, resolve });
        wake?.();
      }),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      for (const w of waiters) w.resolve();
      streams.destroy();
    },
  };
}
