import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createStoreHarness, type StoreHarness } from '../store/harness';
import { runBackfill } from '../../bin/backfillCli/runBackfill';
import { SILO_KEYS } from '../../lambdas/store/keys';
import { NAME_INDEX, MODIFIED_INDEX, USER_DISPLAY_NAME_INDEX } from '../../lambdas/contracts/tableDefinition';

const SORTED = [NAME_INDEX, MODIFIED_INDEX, USER_DISPLAY_NAME_INDEX];

/**
 * Upgrading a table created before the sorted indexes (GSI3-5): its items lack the attributes those
 * indexes are keyed on, so a new GSI would be built empty of them and sortBy would silently miss
 * users. The backfill CLI writes them, on DynamoDB Local.
 */
describe('npm run backfill-indexes', () => {
  let h: StoreHarness;
  const userIds: string[] = [];
  let groupId: string;

  beforeAll(async () => {
    h = await createStoreHarness();
    for (const name of ['carol', 'Alice', 'bob', 'dave', 'Eve']) userIds.push((await h.store.createUser({ userName: name, displayName: `${name} X` })).id);
    groupId = (await h.store.createGroup({ displayName: 'Sales' })).id;
    // What a table written before the sorted indexes holds: resource items without GSI3-5 attributes.
    const names = SORTED.flatMap((g) => [g.partitionKey, g.sortKey]);
    for (const [type, id] of [...userIds.map((id) => ['User', id] as const), ['Group', groupId] as const]) {
      await h.table.doc.send(new UpdateCommand({
        TableName: h.table.tableName,
        Key: SILO_KEYS.resource(type, id),
        UpdateExpression: `REMOVE ${names.map((_, i) => `#n${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
      }));
    }
  });

  const entries = async (indexName: string, pk: string): Promise<string[]> => {
    const gsi = SORTED.find((g) => g.indexName === indexName)!;
    const res = await h.table.doc.send(new QueryCommand({
      TableName: h.table.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
    }));
    return (res.Items ?? []).map((i) => String(i.PK));
  };

  it('gives every pre-upgrade item its sorted-index attributes, skips what a concurrent write already fixed, and is idempotent', async () => {
    // Prepare: before the backfill the userName order holds none of the users
    expect(await entries(NAME_INDEX.indexName, SILO_KEYS.orderPartition('User', 'userName'))).toHaveLength(0);
    // A write after the upgrade carries its own index attributes.
    await h.store.updateUser(userIds[0], (u) => ({ ...u.data, title: 'Boss' }));
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => undefined, doc: h.table.doc };

    // Act
    const code = await runBackfill(['--table', h.table.tableName, '--page-size', '2'], io);
    const again: string[] = [];
    const second = await runBackfill(['--table', h.table.tableName], { ...io, out: (t) => again.push(t) });

    // Assess
    expect(code).toBe(0);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { resourceType: 'User', scanned: 5, updated: 4 },
      { resourceType: 'Group', scanned: 1, updated: 1 },
    ]);
    expect(second).toBe(0);
    expect(again.map((l) => JSON.parse(l))).toEqual([
      { resourceType: 'User', scanned: 5, updated: 0 },
      { resourceType: 'Group', scanned: 1, updated: 0 },
    ]);
    expect(await entries(NAME_INDEX.indexName, SILO_KEYS.orderPartition('User', 'userName'))).toHaveLength(5);
    expect(await entries(USER_DISPLAY_NAME_INDEX.indexName, SILO_KEYS.orderPartition('User', 'displayName'))).toHaveLength(5);
    expect(await entries(MODIFIED_INDEX.indexName, SILO_KEYS.orderPartition('User', 'lastModified'))).toHaveLength(5);
    expect(await entries(NAME_INDEX.indexName, SILO_KEYS.orderPartition('Group', 'displayName'))).toHaveLength(1);
  });

  it('refuses a call without --table or with a bad --page-size, with the usage and exit code 2', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => err.push(t), doc: h.table.doc };
    expect(await runBackfill([], io)).toBe(2);
    expect(await runBackfill(['--table', 'x', '--page-size', '0'], io)).toBe(2);
    expect(await runBackfill(['--tabel', 'x'], io)).toBe(2);
    expect(err.join('')).toMatch(/--table is required[\s\S]*Usage: npm run backfill-indexes/);
  });
});
