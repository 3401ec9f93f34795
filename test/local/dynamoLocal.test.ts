import { describe, it, expect } from 'vitest';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createTestTable } from '../support/dynamo';
import { TABLE_DEFINITION } from '../../lambdas/contracts/tableDefinition';

describe('DynamoDB Local harness', () => {
  it('creates the table with the key schema and indexes of TABLE_DEFINITION', async () => {
    const t = await createTestTable();
    const d = await t.client.send(new DescribeTableCommand({ TableName: t.tableName }));
    expect(d.Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(d.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(
      TABLE_DEFINITION.globalSecondaryIndexes.map((g) => g.indexName).sort(),
    );
  });

  it('really stores and returns an item', async () => {
    const t = await createTestTable();
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { PK: 'a', SK: 'b', value: 42 } }));
    const got = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { PK: 'a', SK: 'b' }, ConsistentRead: true }));
    expect(got.Item?.value).toBe(42);
  });

  it('gives each test a table of its own', async () => {
    const a = await createTestTable();
    const b = await createTestTable();
    await a.doc.send(new PutCommand({ TableName: a.tableName, Item: { PK: 'x', SK: 'y' } }));
    const got = await b.doc.send(new GetCommand({ TableName: b.tableName, Key: { PK: 'x', SK: 'y' } }));
    expect(got.Item).toBeUndefined();
  });
});
