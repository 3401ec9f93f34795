import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createStreamProcessor } from '../../lambdas/feed/createStreamProcessor';
import { passesStreamFilter } from '../../lambdas/feed/streamSettings';
import type { ChangeEvent } from '../../lambdas/events';
import { buildRegistry } from '../../lambdas/scim/config';
import { KeySpace, POOL_KEYS, SILO_KEYS, type Key } from '../../lambdas/store/keys';

const registry = buildRegistry({ customExtensions: [] });
const at = new Date('2026-01-01T00:00:00.000Z');

/**
 * Every kind of item the table holds besides resources (keys.ts, eventLog.ts, PoolDirectory.ts),
 * in a silo and a pooled key space. Each also carries resource-like attributes (`resourceType`,
 * `id`, `version`, `data`), the worst case: only the key may decide what an item is.
 */
function nonResourceKeys(keys: KeySpace): [string, Key][] {
  return [
    ['userName marker', keys.unique('User', 'userName', 'alice')],
    ['externalId lookup', keys.lookup('User', 'externalId', 'ext-1', 'u1')],
    ['membership', keys.membership('g1', 'u1')],
    ['counter shard', keys.counter('User', 3)],
    ['page cursor', keys.pageCursor('abc', 100)],
    ['cursor key', keys.cursorKey()],
    ['graph version', keys.graphVersion()],
    ['audit record', keys.audit(at, 'User', 'u1', 'delete')],
    ['pending cleanup', keys.cleanup('User', 'u1')],
    ['event log entry', { PK: keys.eventLogPartition('2026-01-01'), SK: '2026-01-01T00:00:00.000Z#000000' }],
    ['audit trail entry', { PK: keys.auditLogPartition('2026-01-01'), SK: '2026-01-01T00:00:00.000Z#evt_1' }],
  ];
}
const KINDS: [string, Key][] = [
  ...nonResourceKeys(SILO_KEYS),
  ...nonResourceKeys(new KeySpace('acme#')).map(([n, k]): [string, Key] => [`pooled ${n}`, k]),
  ['pool tenant record', POOL_KEYS.tenant('acme')],
  ['pool tenant token entry', POOL_KEYS.tenantToken('acme', 'tok_0123456789ab')],
  ['pool token record', POOL_KEYS.tokenByHash('ab'.repeat(32))],
];

/** A stream record of `key`; `resourceLike` adds the attributes of a resource item to its images. */
function record(key: Key, eventName: 'INSERT' | 'MODIFY' | 'REMOVE', seq: number, resourceLike = true): DynamoDBRecord {
  const look = resourceLike ? { resourceType: 'User', id: 'u1', data: { userName: 'alice' } } : {};
  const image = (version: number) => marshall({ ...key, ...look, version, tenant: 'acme', label: 'okta' });
  return {
    eventID: `ev-${seq}`,
    eventName,
    dynamodb: {
      SequenceNumber: String(seq).padStart(21, '0'),
      ApproximateCreationDateTime: 1767225600,
      Keys: marshall(key) as never,
      ...(eventName !== 'INSERT' ? { OldImage: image(1) as never } : {}),
      ...(eventName !== 'REMOVE' ? { NewImage: image(2) as never } : {}),
    },
  };
}

describe('the stream handler and non-resource items', () => {
  it.each(KINDS)('derives no event from a %s, inserted, modified or removed, and fails no record', async (_kind, key) => {
    // Prepare
    const published: ChangeEvent[] = [];
    const processor = createStreamProcessor({ tenant: 'acme', registry, sinks: [{ name: 'capture', publish: async (e) => void published.push(...e) }] });
    // Act
    const res = await processor({ Records: [record(key, 'INSERT', 1), record(key, 'MODIFY', 2), record(key, 'REMOVE', 3)] });
    // Assess
    expect(published).toEqual([]);
    expect(res.batchItemFailures).toEqual([]);
  });

  it.each(KINDS)('keeps a %s out of the Lambda invocation by the stream filter', (_kind, key) => {
    // Act / Assess: the filter sees what Lambda's filter sees, the record's DynamoDB JSON (with
    // the item's own attributes: a filter cannot parse keys, deriveEvents above does)
    for (const [i, name] of (['INSERT', 'MODIFY', 'REMOVE'] as const).entries()) {
      expect(passesStreamFilter(record(key, name, i, false).dynamodb as Parameters<typeof passesStreamFilter>[0])).toBe(false);
    }
  });

  it('lets a resource item through the filter whatever the event', () => {
    // Prepare
    const key = new KeySpace('acme#').resource('Group', 'g1');
    const image = marshall({ ...key, resourceType: 'Group', id: 'g1' });
    // Act / Assess
    expect(passesStreamFilter({ Keys: marshall(key) as never, NewImage: image as never })).toBe(true);
    expect(passesStreamFilter({ Keys: marshall(key) as never, OldImage: image as never })).toBe(true);
  });
});
