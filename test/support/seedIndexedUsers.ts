import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '../../lambdas/store/batch';
import { toResourceItem } from '../../lambdas/store/items';
import { SILO_KEYS } from '../../lambdas/store/keys';

/** Where the seeded users' instants start; user i was created and last modified `i` seconds later. */
export const SEED_EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A name that sorts apart from creation order (a multiplicative hash spelled in letters), in mixed case. */
function scrambled(i: number): string {
  let x = (i * 2654435761) >>> 0;
  let s = '';
  for (let k = 0; k < 6; k++) {
    s += LETTERS[x % 26];
    x = Math.floor(x / 26);
  }
  return i % 3 === 0 ? s.toUpperCase() : s;
}

/** The data of seeded user i: every tenth has no displayName (it then sorts last ascending). */
export function indexedUserData(i: number): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `${scrambled(i)}.${i}@scale.example.com`,
    ...(i % 10 === 0 ? {} : { displayName: `${scrambled(i + 7)} Person` }),
    active: i % 4 !== 0,
    title: i % 2 === 0 ? 'Engineer' : 'Manager',
  };
}

/**
 * Writes `count` users straight into the table with BatchWrite, through the store's own item
 * mapping (so the sorted indexes get their keys), with varied names and one second between
 * instants, and adds them to the User counter: fixtures for sorted and range queries on
 * 100,000 users without 100,000 createUser transactions (no uniqueness markers).
 */
export async function seedIndexedUsers(doc: DynamoDBDocumentClient, tableName: string, from: number, count: number, tag = 'ix'): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, k) => `${tag}-${String(from + k).padStart(7, '0')}`);
  await batchWrite(
    doc,
    tableName,
    ids.map((id, k) => {
      const at = new Date(SEED_EPOCH + (from + k) * 1000).toISOString();
      return { put: toResourceItem({ id, resourceType: 'User', version: 1, created: at, lastModified: at, data: indexedUserData(from + k) }) as unknown as Record<string, unknown> };
    }),
    { parallel: 16 },
  );
  await doc.send(new UpdateCommand({ TableName: tableName, Key: SILO_KEYS.counter('User', 0), UpdateExpression: 'ADD #c :n', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':n': count } }));
  return ids;
}
