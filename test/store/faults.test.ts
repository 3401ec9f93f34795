import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ScimStore } from '../../lambdas/store/ScimStore';
import { ConflictError, NotFoundError, PreconditionFailedError, StoreThrottledError } from '../../lambdas/store/errors';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const ddb = mockClient(doc);
const store = new ScimStore({ doc, tableName: 't', newId: () => 'id-1' });

function cancelled(codes: string[], items: Record<number, Record<string, unknown>> = {}): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code, i) => (items[i] ? { Code, Item: items[i] as never } : { Code })),
  });
}

const storedUser = {
  PK: 'USER#u1',
  SK: 'META',
  id: 'u1',
  resourceType: 'User',
  version: 3,
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-01T00:00:00.000Z',
  data: { userName: 'old' },
};

beforeEach(() => {
  ddb.reset();
});

describe('ScimStore under DynamoDB faults', () => {
  it('retries a transaction cancelled by TransactionConflict and succeeds', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'TransactionConflict', 'None']))
      .rejectsOnce(cancelled(['TransactionConflict', 'None', 'None']))
      .resolves({});
    // Act
    const u = await store.createUser({ userName: 'x' });
    // Assess
    expect(u.id).toBe('id-1');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up on a transaction that keeps conflicting with StoreThrottledError', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None']));
    await expect(store.createUser({ userName: 'x' })).rejects.toBeInstanceOf(StoreThrottledError);
    expect(ddb.commandCalls(TransactWriteCommand).length).toBeGreaterThan(1);
  });

  it('maps throttling after the SDK retries to StoreThrottledError', async () => {
    ddb.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(store.getUser('u1')).rejects.toBeInstanceOf(StoreThrottledError);
  });

  it('maps a transaction cancelled for throttling to StoreThrottledError', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ThrottlingError', 'None', 'None']));
    await expect(store.createUser({ userName: 'x' })).rejects.toBeInstanceOf(StoreThrottledError);
  });

  it('maps a failed marker condition to ConflictError naming the holder from ALL_OLD', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed', 'None'], { 1: { id: { S: 'holder' } } }));
    const err = await store.createUser({ userName: 'Taken' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ attribute: 'userName', value: 'Taken', existingId: 'holder' });
  });

  it('maps a failed version condition to PreconditionFailedError when If-Match was given, and NotFoundError when the item is gone', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: storedUser });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None'], { 0: { version: { N: '4' } } }))
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None']));
    // Act / Assess
    await expect(store.replaceUser('u1', { userName: 'new' }, { expectedVersion: 3 })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.replaceUser('u1', { userName: 'new' }, { expectedVersion: 3 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('re-reads and re-applies the update when a concurrent write changed the version and no If-Match was given', async () => {
    // Prepare
    ddb.on(GetCommand).resolvesOnce({ Item: storedUser }).resolves({ Item: { ...storedUser, version: 4, data: { userName: 'old', n: 1 } } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None'], { 0: { version: { N: '4' } } }))
      .resolves({});
    // Act
    const seen: unknown[] = [];
    const u = await store.updateUser('u1', (c) => {
      seen.push(c.data.n);
      return { ...c.data, userName: 'renamed' };
    });
    // Assess
    expect(seen).toEqual([undefined, 1]);
    expect(u.version).toBe(5);
  });

  it('resends unprocessed BatchGet keys', async () => {
    // Prepare
    const group = { ...storedUser, PK: 'GROUP#g1', id: 'g1', resourceType: 'Group', data: { displayName: 'G' } };
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [{ PK: 'GROUP#g1', SK: 'META' }] } } })
      .resolves({ Responses: { t: [group] } });
    // Act
    const res = await store.queryGroups({ plan: { kind: 'id', value: 'g1', memberValue: 'u1' }, count: 10 });
    // Assess
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(res.totalResults).toBe(0);
  });
});
