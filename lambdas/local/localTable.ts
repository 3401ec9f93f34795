import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../store/clients';
import { createTable } from '../store/createTable';
import { startDynamoLocal, type DynamoLocal } from './dynamoLocal';
import { startStreamPoller, type StreamHandler, type StreamPoller } from './streamPoller';

/** Options of {@link openLocalTable}: the storage half of the silo and pooled local modes. */
export interface LocalTableOptions {
  /** Where DynamoDB Local keeps its files (under `dynamodb/`). */
  readonly dataDir: string;
  /** Reuse a running DynamoDB Local (tests) instead of starting one. */
  readonly dynamoEndpoint?: string;
  /** DynamoDB Local in memory even though dataDir is given (tests). @default false */
  readonly inMemory?: boolean;
  readonly tableName: string;
  /** Create the table with its stream, for the change feed. */
  readonly stream: boolean;
}

/** A table on DynamoDB Local, created with the stack's definition. */
export interface LocalTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  /** Runs the stream handler over the table's stream, as the stack's event source mapping does. */
  startFeed(handler: StreamHandler): Promise<StreamPoller>;
  /**
   * Stops the feed (after the server: a request's last write still reaches the stream handler),
   * releases the clients and stops the DynamoDB Local this call started (not a reused one).
   */
  close(): Promise<void>;
}

/** Starts (or reuses) DynamoDB Local and creates the table, as `npm start` does in both modes. */
export async function openLocalTable(options: LocalTableOptions): Promise<LocalTable> {
  mkdirSync(options.dataDir, { recursive: true });
  let dynamo: DynamoLocal | undefined;
  const endpoint =
    options.dynamoEndpoint ?? (dynamo = await startDynamoLocal(options.inMemory ? {} : { dataDir: join(options.dataDir, 'dynamodb') })).endpoint;
  const { tableName } = options;
  const { client, doc } = createDynamoClients({ endpoint });
  await createTable(client, tableName, { stream: options.stream });
  let feed: StreamPoller | undefined;
  return {
    endpoint,
    tableName,
    client,
    doc,
    async startFeed(handler) {
      feed = await startStreamPoller({
        client,
        endpoint,
        tableName,
        // A kept data dir has a stream from earlier runs: start from now, not from what was already published.
        startAt: options.dynamoEndpoint || options.inMemory ? 'TRIM_HORIZON' : 'LATEST',
        handler,
        onDeadLetter: (records, error) => process.stderr.write(`change feed: ${records.length} stream record(s) dead-lettered after retries: ${error}\n`),
      });
      return feed;
    },
    async close() {
      await feed?.stop();
      client.destroy();
      await dynamo?.stop();
    },
  };
}
