import { afterEach, describe, expect, inject, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { openLocalTable, type LocalTable } from '../../lambdas/local/localTable';
import { SHARD_POLL_INTERVAL_MS } from '../../lambdas/local/streamPoller';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let table: LocalTable | undefined;
afterEach(async () => {
  await table?.close();
  table = undefined;
});

describe('the local stream poller runs the stream handler as Lambda polls a shard', () => {
  it('polls at Lambda’s rate under a steady write load, so records arrive in a few batches instead of one invocation per record', async () => {
    // Prepare: a table with its stream and a handler that records each invocation.
    table = await openLocalTable({ dataDir: mkdtempSync(join(tmpdir(), 'poller-')), dynamoEndpoint: inject('dynamoEndpoint'), tableName: `poller-${randomUUID()}`, stream: true });
    const invocations: DynamoDBStreamEvent[] = [];
    const feed = await table.startFeed(async (event) => {
      invocations.push(event);
      return { batchItemFailures: [] };
    });
    // Act: 60 user items, one every 25 ms (1.5 s of writes, as a sync's PATCHes arrive).
    const started = Date.now();
    for (let i = 0; i < 60; i++) {
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { PK: `USER#u${i}`, SK: 'META', resourceType: 'User', id: `u${i}` } }));
      await sleep(25);
    }
    await feed.drain();
    const seconds = (Date.now() - started) / 1000;
    // Assess: every record once, in order, in about one invocation per poll interval, not per record.
    const ids = invocations.flatMap((e) => e.Records.map((r) => r.dynamodb?.Keys?.PK?.S));
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => `USER#u${i}`));
    expect(invocations.length).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / SHARD_POLL_INTERVAL_MS) + 2);
  });

  it('has handled a write committed just before drain() by the time drain() resolves', async () => {
    // Prepare: an idle poller, between two polls.
    table = await openLocalTable({ dataDir: mkdtempSync(join(tmpdir(), 'poller-')), dynamoEndpoint: inject('dynamoEndpoint'), tableName: `poller-${randomUUID()}`, stream: true });
    const seen: string[] = [];
    const feed = await table.startFeed(async (event) => {
      for (const r of event.Records) seen.push(r.dynamodb?.Keys?.PK?.S ?? '');
      return { batchItemFailures: [] };
    });
    await feed.drain();
    // Act: one write, then drain at once.
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { PK: 'USER#late', SK: 'META', resourceType: 'User', id: 'late' } }));
    await feed.drain();
    // Assess: the write committed before drain() was handled by the time it resolved.
    expect(seen).toEqual(['USER#late']);
  });
});
