import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createStreamProcessor } from '../../lambdas/feed/createStreamProcessor';
import type { EventSink } from '../../lambdas/feed/EventSink';
import type { ChangeEvent } from '../../lambdas/events';
import { buildRegistry } from '../../lambdas/scim/config';
import { toResourceItem } from '../../lambdas/store/items';

const registry = buildRegistry({ customExtensions: [] });

/** A stream record inserting user `id` (sequence number `seq`), as Lambda delivers it. */
function insert(id: string, seq: number): DynamoDBRecord {
  const item = toResourceItem({ id, resourceType: 'User', version: 1, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', data: { userName: id } });
  return {
    eventID: `ev-${seq}`,
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(seq).padStart(21, '0'), ApproximateCreationDateTime: 1767225600, Keys: marshall({ PK: item.PK, SK: item.SK }) as never, NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  };
}

/** A sink that takes events until `failAfter` were taken, then throws once for the next group. */
function flakySink(failAfter: number): EventSink & { taken: ChangeEvent[] } {
  const taken: ChangeEvent[] = [];
  return {
    name: 'flaky',
    taken,
    async publish(events) {
      if (taken.length + events.length > failAfter) throw new Error('bus unavailable');
      taken.push(...events);
    },
  };
}

describe('createStreamProcessor', () => {
  it('publishes every record of a batch and reports no failure', async () => {
    const sink = flakySink(Infinity);
    const records = Array.from({ length: 5 }, (_, i) => insert(`u${i}`, i + 1));
    const res = await createStreamProcessor({ tenant: 't', registry, sinks: [sink] })({ Records: records });
    expect(res.batchItemFailures).toEqual([]);
    expect(sink.taken.map((e) => e.resourceId)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
  });

  it('reports the first unpublished record and every later one, so Lambda resumes there in order', async () => {
    // Prepare: groups hold 100 events; the sink takes the first group and fails the second
    const sink = flakySink(100);
    const records = Array.from({ length: 150 }, (_, i) => insert(`u${i}`, i + 1));
    // Act
    const res = await createStreamProcessor({ tenant: 't', registry, sinks: [sink] })({ Records: records });
    // Assess
    expect(sink.taken).toHaveLength(100);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(100).map((r) => r.dynamodb!.SequenceNumber));
  });

  it('gives the second sink nothing of a group the first sink refused', async () => {
    const first = flakySink(0);
    const second = flakySink(Infinity);
    const res = await createStreamProcessor({ tenant: 't', registry, sinks: [first, second] })({ Records: [insert('a', 1)] });
    expect(second.taken).toEqual([]);
    expect(res.batchItemFailures).toHaveLength(1);
  });
});
