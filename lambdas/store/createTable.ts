import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../contracts/tableDefinition';

/**
 * Creates the single table from TABLE_DEFINITION (used for DynamoDB Local; the CDK construct
 * builds the deployed table from the same definition). Idempotent: an existing table is kept.
 * `stream` turns on the table's stream (new and old images) as the stack's table has it.
 */
export async function createTable(client: DynamoDBClient, tableName: string, options: { stream?: boolean } = {}): Promise<void> {
  const { partitionKey, sortKey, globalSecondaryIndexes } = TABLE_DEFINITION;
  const attributeNames = new Set<string>([partitionKey, sortKey]);
  for (const gsi of globalSecondaryIndexes) {
    attributeNames.add(gsi.partitionKey);
    attributeNames.add(gsi.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributeNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalSecondaryIndexes.map((gsi) => ({
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: gsi.projection },
        })),
        // Both images, as the stack's table has: the change feed diffs old and new (lambdas/events).
        // Off for storage-only tests: DynamoDB Local keeps every stream record in memory.
        ...(options.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const } } : {}),
      }),
    );
  } catch (e) {
    if (e instanceof ResourceInUseException) return options.stream ? enableStream(client, tableName) : undefined;
    throw e;
  }
  // DynamoDB Local creates tables synchronously, but keep the wait for real endpoints.
  for (let i = 0; i < 50; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.ttlAttribute, Enabled: true },
    }),
  );
}

/** Turns the stream on for a table created before the change feed existed (a kept `.local` data dir). */
async function enableStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (d.Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
}
