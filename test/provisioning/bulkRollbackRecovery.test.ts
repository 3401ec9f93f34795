import { describe, it, expect } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { ScimStore } from '../../lambdas/store';
import { createDeps } from '../../lambdas/handlers/resources/deps';
import { bulkRoutes } from '../../lambdas/handlers/resources/bulkRoutes';
import { BULK_ROLLBACK_URN } from '../../lambdas/handlers/resources/capabilities';
import { createMaintenanceHandler } from '../../lambdas/handlers/maintenance';
import { FUNCTION_TIMEOUT_SECONDS } from '../../lambdas/contracts/awsLimits';
import type { ScimEvent } from '../../lambdas/http/types';
import { createTestTable, type TestTable } from '../support/dynamo';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * A store whose invocation "dies" at the n-th call of one of `methods`: that call never settles,
 * as when Lambda kills the process (out of memory, timeout), so nothing after it runs.
 */
function dyingStore(store: ScimStore, methods: readonly string[], n: number): { store: ScimStore; died: Promise<void> } {
  let calls = 0;
  let onDeath: () => void = () => undefined;
  const died = new Promise<void>((resolve) => (onDeath = resolve));
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (methods.includes(String(prop)) && ++calls === n) {
          onDeath();
          return new Promise(() => undefined);
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, died };
}

/**
 * The table as a client could ever tell it apart: every item except audit records (an audit trail
 * of what happened is the point) and counter shards summed per type (a create and its compensating
 * delete may touch different shards); a restored resource keeps its attributes, markers, lookups
 * and members, with a new version and lastModified (a restore is a write).
 */
async function tableState(t: TestTable): Promise<unknown> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const counters: Record<string, number> = {};
  const rest: Record<string, unknown>[] = [];
  for (const item of items) {
    const pk = String(item.PK);
    // Audit records and the recheck items of compensating deletes (a second reverse-index pass the
    // maintenance job runs a minute later) are housekeeping, not state a client can see.
    if (pk.startsWith('AUDIT#') || pk === 'CLEANUP') continue;
    // A deleted user's data-free tombstone (it names the deleter for the change feed) is invisible
    // to every read and goes with that recheck pass.
    if (item.deleting !== undefined && item.data === undefined) continue;
    if (pk.startsWith('COUNTER#')) {
      counters[pk] = (counters[pk] ?? 0) + Number(item.count ?? 0);
      continue;
    }
    // The change feed's stamps (who wrote this version, which members it changed) describe the write.
    const { version: _v, lastModified: _l, GSI4SK: _g, writtenBy: _w, memberChange: _m, ...kept } = item;
    rest.push(kept);
  }
  rest.sort((a, b) => `${String(a.PK)}|${String(a.SK)}`.localeCompare(`${String(b.PK)}|${String(b.SK)}`));
  return { counters, items: rest };
}

async function seed(t: TestTable) {
  const store = new ScimStore({ doc: t.doc, tableName: t.tableName });
  const alice = await store.createUser({ schemas: [USER], userName: 'alice@example.com', displayName: 'Alice', externalId: 'a-1' });
  const bob = await store.createUser({ schemas: [USER], userName: 'bob@example.com', displayName: 'Bob' });
  const group = await store.createGroup({ schemas: [GROUP], displayName: 'Staff' }, [{ value: alice.id, type: 'User' }]);
  return { store, alice, bob, group };
}

function bulkRequest(s: Awaited<ReturnType<typeof seed>>) {
  return {
    schemas: [BULK, BULK_ROLLBACK_URN],
    Operations: [
      { method: 'POST', path: '/Users', bulkId: 'carol', data: { schemas: [USER], userName: 'carol@example.com', externalId: 'c-1' } },
      { method: 'PATCH', path: `/Users/${s.alice.id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Alice Changed' }] } },
      { method: 'PUT', path: `/Groups/${s.group.id}`, data: { schemas: [GROUP], displayName: 'Staff Renamed', members: [{ value: s.bob.id }, { value: 'bulkId:carol' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'g2', data: { schemas: [GROUP], displayName: 'New', members: [{ value: 'bulkId:carol' }] } },
      { method: 'PATCH', path: `/Users/${s.bob.id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } },
    ],
  };
}

function runBulkRoute(store: ScimStore, body: unknown) {
  const [route] = bulkRoutes(createDeps(store, {}));
  const event = { parsedBody: body, requestContext: { domainName: 'scim.example.com', path: '/prod/scim/v2/Bulk' } } as unknown as ScimEvent;
  const context = { getRemainingTimeInMillis: () => 20_000 } as unknown as Context;
  return route.handle(event, [], context);
}

const afterTimeout = () => new Date(Date.now() + (FUNCTION_TIMEOUT_SECONDS.bulk + 1) * 1000);

describe('all-or-nothing /Bulk whose invocation dies', () => {
  it('is undone by the maintenance run: after a crash after 3 operations the table is as before the bulk', async () => {
    // Prepare
    const t = await createTestTable('rbcrash');
    const s = await seed(t);
    const before = await tableState(t);
    // The 4th journal write (before the group POST runs) never returns: the invocation is dead.
    const dying = dyingStore(s.store, ['recordRollbackEntry'], 4);
    void runBulkRoute(dying.store, bulkRequest(s));
    await dying.died;
    expect(await tableState(t)).not.toEqual(before);
    // Act: the scheduled maintenance job, once the bulk function's timeout has passed
    const result = await createMaintenanceHandler(s.store, afterTimeout)();
    // Assess
    expect(result).toMatchObject({ rollbacksRecovered: 1, rollbacksOpen: 0 });
    expect(await tableState(t)).toEqual(before);
  });

  it('converges when the maintenance run itself dies mid-compensation and the next one finishes', async () => {
    // Prepare: the bulk dies after all 5 operations applied (at the journal's close)
    const t = await createTestTable('rbcrash2');
    const s = await seed(t);
    const before = await tableState(t);
    const dyingBulk = dyingStore(s.store, ['closeRollbackJournal'], 1);
    void runBulkRoute(dyingBulk.store, { ...bulkRequest(s), schemas: [BULK, BULK_ROLLBACK_URN] });
    await dyingBulk.died;
    // A first maintenance run dies at its third compensating write.
    const dyingRun = dyingStore(s.store, ['deleteUser', 'deleteGroup', 'replaceUser', 'replaceGroup'], 3);
    void createMaintenanceHandler(dyingRun.store, afterTimeout)();
    await dyingRun.died;
    expect(await tableState(t)).not.toEqual(before);
    // Act: the next run
    const result = await createMaintenanceHandler(s.store, afterTimeout)();
    // Assess
    expect(result).toMatchObject({ rollbacksRecovered: 1, rollbacksOpen: 0 });
    expect(await tableState(t)).toEqual(before);
  });

  it('leaves a journal younger than the bulk timeout alone: its invocation may still be running', async () => {
    const t = await createTestTable('rbyoung');
    const s = await seed(t);
    const dying = dyingStore(s.store, ['recordRollbackEntry'], 2);
    void runBulkRoute(dying.store, bulkRequest(s));
    await dying.died;
    const result = await createMaintenanceHandler(s.store)();
    expect(result).toMatchObject({ rollbacksRecovered: 0 });
    const journals = await s.store.openRollbackJournals(afterTimeout());
    expect(journals.length).toBe(1);
  });

  it('deletes its journal when the bulk succeeds, and answers a failure with what was rolled back', async () => {
    const t = await createTestTable('rbok');
    const s = await seed(t);
    const before = await tableState(t);
    const ok = await runBulkRoute(s.store, bulkRequest(s));
    expect(ok.statusCode).toBe(200);
    const after = (await tableState(t)) as { items: { PK: string }[] };
    expect(after.items.some((i) => i.PK.startsWith('ROLLBACK'))).toBe(false);
    // A failing request (409: the userName is taken) is rolled back and its journal deleted.
    const t2 = await createTestTable('rbfail');
    const s2 = await seed(t2);
    const before2 = await tableState(t2);
    const failing = bulkRequest(s2);
    failing.Operations.push({ method: 'POST', path: '/Users', bulkId: 'dup', data: { schemas: [USER], userName: 'alice@example.com' } } as never);
    const r = await runBulkRoute(s2.store, failing);
    const body = JSON.parse(String(r.body)) as Record<string, { rolledBack: boolean; operations: { compensation: string }[] }>;
    expect(body[BULK_ROLLBACK_URN].rolledBack).toBe(true);
    expect(body[BULK_ROLLBACK_URN].operations.map((o) => o.compensation)).toEqual(['deleted', 'restored', 'restored', 'deleted', 'restored']);
    expect(await tableState(t2)).toEqual(before2);
    expect(before).toBeDefined();
  });
});
