import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start floor: a function that only creates the DynamoDB document client (at init, as
 * the store does) and reads one item. Bundled like the real functions (lib/functionBundling.ts);
 * each function's init and first request are compared with this one's.
 */
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
);

/** Reads one (absent) item. */
export const handler = async (): Promise<{ statusCode: number; body: string }> => {
  await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: 'floor', SK: 'floor' } }));
  return { statusCode: 200, body: '' };
};
