import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '../../lambdas/store/batch';
import { toResourceItem, type Json } from '../../lambdas/store/items';

/**
 * Writes user resource items straight into the table with BatchWrite, through the store's own item
 * mapping: fast fixtures for groups of many thousand members (no uniqueness markers or counter,
 * which createUser would add at ~140 users/s on DynamoDB Local). The store's member existence
 * check reads exactly these items.
 */
export async function seedUserItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly string[],
  data: (id: string) => Json = (id) => ({ userName: id }),
): Promise<void> {
  const created = '2026-01-01T00:00:00.000Z';
  await batchWrite(
    doc,
    tableName,
    ids.map((id) => ({ put: toResourceItem({ id, resourceType: 'User', version: 1, created, lastModified: created, data: data(id) }) as unknown as Record<string, unknown> })),
    { parallel: 16 },
  );
}
