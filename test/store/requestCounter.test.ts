import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable } from '../support/dynamo';
import { attachRequestCounter } from '../../lambdas/store/requestCounter';

describe('attachRequestCounter', () => {
  it('counts calls by command, scans, item writes and consumed capacity, and stops after detach', async () => {
    // Prepare
    const t = await createTestTable('counter');
    const counter = attachRequestCounter(t.doc);
    // Act
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { PK: 'a', SK: 'b' } }));
    await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'a', SK: 'b' }, ConsistentRead: true }));
    await t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: t.tableName, Item: { PK: 'c', SK: 'd' } } },
          { ConditionCheck: { TableName: t.tableName, Key: { PK: 'a', SK: 'b' }, ConditionExpression: 'attribute_exists(PK)' } },
        ],
      }),
    );
    await t.doc.send(new ScanCommand({ TableName: t.tableName }));
    const seen = JSON.parse(JSON.stringify(counter.counts));
    counter.detach();
    await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'a', SK: 'b' } }));
    // Assess
    expect(seen).toMatchObject({
      requests: 4,
      byCommand: { PutItemCommand: 1, GetItemCommand: 1, TransactWriteItemsCommand: 1, ScanCommand: 1 },
      scans: 1,
      itemWrites: 2,
    });
    expect(seen.readUnits).toBeGreaterThan(0);
    expect(seen.writeUnits).toBeGreaterThan(0);
    expect(counter.counts.requests).toBe(4);
  });

  it('counts a failed request too, and reset starts over', async () => {
    const t = await createTestTable('counter');
    const counter = attachRequestCounter(t.client);
    await expect(
      t.doc.send(new PutCommand({ TableName: t.tableName, Item: { PK: 'a', SK: 'b' }, ConditionExpression: 'attribute_exists(PK)' })),
    ).rejects.toThrow();
    expect(counter.counts.requests).toBe(1);
    counter.reset();
    expect(counter.counts).toEqual({ requests: 0, byCommand: {}, readUnits: 0, writeUnits: 0, scans: 0, itemWrites: 0 });
  });
});
