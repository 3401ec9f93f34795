import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { passesStreamFilter } from '../feed/streamSettings';
import { createDynamoClients } from '../store/clients';

/**
 * Every record of a DynamoDB Local table's stream so far, from the trim horizon, resource items
 * only (STREAM_SETTINGS' filter, as the event source mapping applies it), in the shape Lambda
 * delivers: what a redelivered batch holds (test/e2e/changeFeed.test.ts) and what the bench feeds
 * the stream handler to measure its CPU per record (bench/scenarios/changeFeed.ts).
 */
export async function readWholeStream(endpoint: string, tableName: string): Promise<DynamoDBRecord[]> {
  const { client } = createDynamoClients({ endpoint });
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const arn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!;
    const out: DynamoDBRecord[] = [];
    for (const shard of (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? []) {
      let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (it) {
        const res = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
        const records = res.Records ?? [];
        out.push(...(records.filter((r) => passesStreamFilter(r.dynamodb as Parameters<typeof passesStreamFilter>[0])) as unknown as DynamoDBRecord[]));
        if (records.length === 0) break;
        it = res.NextShardIterator;
      }
    }
    return out;
  } finally {
    streams.destroy();
    client.destroy();
  }
}
