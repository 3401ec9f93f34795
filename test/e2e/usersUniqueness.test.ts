import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, type DynamoClients } from '../../lambdas/store';
import { startTestServer, type TestServer } from '../support/localStack';

/** The one item a delete keeps on purpose: its second reverse-index pass, due a minute later (TTL-bound). */
const isRecheck = (i: Record<string, unknown>) => i.PK === 'CLEANUP' && typeof i.recheckAfter === 'string';
/** A deleted user's tombstone: no data, stamped with the deleter for the change feed; the recheck pass removes it. */
const isTombstone = (i: Record<string, unknown>) => i.SK === 'META' && typeof i.deleting === 'string' && i.data === undefined;

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('/Users userName uniqueness over HTTP', () => {
  let server: TestServer;
  let clients: DynamoClients;

  /** Every item of the test's own table (a Scan is fine here: the table is this file's and tiny). */
  const tableItems = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await clients.doc.send(new ScanCommand({ TableName: server.tableName, ConsistentRead: true, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const usersNamed = (items: Record<string, unknown>[], lower: string) =>
    items.filter((i) => String(i.PK).startsWith('USER#') && i.SK === 'META' && JSON.stringify(i).toLowerCase().includes(`"username":"${lower}"`));
  const markersOf = (items: Record<string, unknown>[], lower: string) => items.filter((i) => String(i.PK).startsWith('UNIQUE#') && String(i.PK).endsWith(`#${lower}`));

  beforeAll(async () => {
    server = await startTestServer();
    clients = createDynamoClients({ endpoint: server.dynamoEndpoint });
  });
  afterAll(async () => {
    clients?.client.destroy();
    await server?.close();
  });

  it('answers 409 uniqueness to a userName that differs only in case', async () => {
    // Prepare
    const userName = `Case-${randomUUID()}@Example.com`;
    expect((await server.request('POST', '/Users', { schemas: [CORE], userName })).status).toBe(201);
    // Act
    const r = await server.request('POST', '/Users', { schemas: [CORE], userName: userName.toLowerCase() });
    // Assess
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    expect(r.body.detail).not.toContain(userName.toLowerCase());
  });

  it('keeps the userName case as given while matching it case-insensitively', async () => {
    // Prepare
    const userName = `Mixed-${randomUUID()}@Example.com`;
    await server.request('POST', '/Users', { schemas: [CORE], userName });
    // Act
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
    // Assess
    expect(r.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([userName]);
  });

  it('gives exactly one 201 and nineteen 409s to 20 concurrent creates of one userName, leaving one user and one marker', async () => {
    // Prepare
    const userName = `race-${randomUUID()}@example.com`;
    // Act
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => server.request('POST', '/Users', { schemas: [CORE], userName: i % 2 ? userName : userName.toUpperCase(), displayName: `try ${i}` })),
    );
    // Assess
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.scimType).toBe('uniqueness');
    const items = await tableItems();
    expect(usersNamed(items, userName)).toHaveLength(1);
    expect(markersOf(items, userName)).toHaveLength(1);
    const winner = replies.find((r) => r.status === 201)!;
    expect(markersOf(items, userName)[0]).toMatchObject({ id: winner.body.id });
    const list = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(list.body.totalResults).toBe(1);
  });

  it('lets exactly one of 10 concurrent renames to one userName win and leaves no orphan marker', async () => {
    // Prepare
    const target = `target-${randomUUID()}@example.com`;
    const olds: { id: string; userName: string }[] = [];
    for (let i = 0; i < 10; i++) olds.push((await server.request('POST', '/Users', { schemas: [CORE], userName: `old-${i}-${randomUUID()}` })).body);
    // Act
    const replies = await Promise.all(
      olds.map((u, i) =>
        i % 2
          ? server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'userName', value: target }] })
          : server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: target }),
      ),
    );
    // Assess
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const winner = olds[replies.findIndex((r) => r.status === 200)];
    const items = await tableItems();
    expect(markersOf(items, target)).toEqual([expect.objectContaining({ id: winner.id })]);
    // The winner's old marker is gone; the losers keep theirs.
    expect(markersOf(items, winner.userName.toLowerCase())).toHaveLength(0);
    for (const u of olds.filter((o) => o !== winner)) {
      expect(markersOf(items, u.userName.toLowerCase())).toHaveLength(1);
      expect((await server.request('GET', `/Users/${u.id}`)).body.userName).toBe(u.userName);
    }
  });

  it('frees the old userName on rename and keeps a rename to another case of the same name', async () => {
    // Prepare
    const a = (await server.request('POST', '/Users', { schemas: [CORE], userName: `first-${randomUUID()}` })).body;
    const newName = `second-${randomUUID()}`;
    // Act
    const renamed = await server.request('PATCH', `/Users/${a.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: newName }] });
    const recase = await server.request('PATCH', `/Users/${a.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: newName.toUpperCase() }] });
    const reuse = await server.request('POST', '/Users', { schemas: [CORE], userName: a.userName });
    // Assess
    expect(renamed.status).toBe(200);
    expect(recase.status).toBe(200);
    expect(recase.body.userName).toBe(newName.toUpperCase());
    expect(reuse.status).toBe(201);
    expect(markersOf(await tableItems(), newName)).toHaveLength(1);
  });

  it('lets exactly one of 5 concurrent PATCHes carrying the same If-Match win; the others answer 412', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [CORE], userName: `ifm-${randomUUID()}` })).body;
    // Act
    const replies = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `t${i}` }] }, { 'If-Match': u.meta.version }),
      ),
    );
    // Assess
    expect(replies.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    const winner = replies.find((r) => r.status === 200)!;
    expect((await server.request('GET', `/Users/${u.id}`)).body.title).toBe(winner.body.title);
  });

  it('never resurrects a user or orphans its marker when PATCHes race a DELETE', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [CORE], userName: `del-${randomUUID()}`, externalId: randomUUID() })).body;
    // Act
    const replies = await Promise.all([
      server.request('DELETE', `/Users/${u.id}`),
      ...[0, 1, 2, 3].map((i) => server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `t${i}` }] })),
    ]);
    // Assess
    expect(replies[0].status).toBe(204);
    for (const r of replies.slice(1)) expect([200, 404]).toContain(r.status);
    expect((await server.request('GET', `/Users/${u.id}`)).status).toBe(404);
    const items = await tableItems();
    expect(usersNamed(items, u.userName)).toHaveLength(0);
    expect(markersOf(items, u.userName)).toHaveLength(0);
    expect(items.filter((i) => JSON.stringify(i).includes(u.id) && !String(i.PK).startsWith('AUDIT#') && !isRecheck(i) && !isTombstone(i))).toEqual([]);
    expect(items.filter((i) => isTombstone(i) && JSON.stringify(i).includes(u.userName))).toEqual([]);
  });

  it('lets one of a rename and a create of the same userName win', async () => {
    // Prepare
    const target = `contested-${randomUUID()}`;
    const u = (await server.request('POST', '/Users', { schemas: [CORE], userName: `before-${randomUUID()}` })).body;
    // Act
    const [renamed, created] = await Promise.all([
      server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: target }] }),
      server.request('POST', '/Users', { schemas: [CORE], userName: target }),
    ]);
    // Assess
    expect([renamed.status, created.status].sort()).toEqual(renamed.status === 200 ? [200, 409] : [201, 409]);
    const items = await tableItems();
    expect(usersNamed(items, target)).toHaveLength(1);
    expect(markersOf(items, target)).toHaveLength(1);
  });

  it('keeps email lookups exact when 10 PATCHes add and then remove different emails concurrently', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [CORE], userName: `mails-${randomUUID()}` })).body;
    const mails = Array.from({ length: 10 }, (_, i) => `m${i}-${randomUUID()}@example.com`);
    const lookupsOf = (items: Record<string, unknown>[]) =>
      items.filter((i) => String(i.PK).startsWith('LOOKUP#USER#email#') && i.SK === u.id).map((i) => String(i.PK).slice('LOOKUP#USER#email#'.length)).sort();
    // Act
    const added = await Promise.all(mails.map((m) => server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'emails', value: [{ value: m }] }] })));
    const afterAdd = lookupsOf(await tableItems());
    const removed = await Promise.all(
      mails.slice(0, 5).map((m) => server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `emails[value eq "${m}"]` }] })),
    );
    // Assess
    expect(added.map((r) => r.status)).toEqual(mails.map(() => 200));
    expect(removed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(afterAdd).toEqual([...mails].sort());
    const final = await server.request('GET', `/Users/${u.id}`);
    expect(final.body.emails.map((e: { value: string }) => e.value).sort()).toEqual(mails.slice(5).sort());
    expect(lookupsOf(await tableItems())).toEqual(mails.slice(5).sort());
    for (const m of mails) {
      const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`emails.value eq "${m}"`)}`);
      expect(r.body.totalResults).toBe(mails.indexOf(m) >= 5 ? 1 : 0);
    }
  });

  it('orphans no marker when renames race a DELETE of the same user', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [CORE], userName: `victim-${randomUUID()}` })).body;
    const newNames = [0, 1, 2, 3].map((i) => `renamed${i}-${randomUUID()}`);
    // Act
    const replies = await Promise.all([
      ...newNames.map((n) => server.request('PATCH', `/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: n }] })),
      server.request('DELETE', `/Users/${u.id}`),
    ]);
    // Assess
    expect(replies[4].status).toBe(204);
    for (const r of replies.slice(0, 4)) expect([200, 404]).toContain(r.status);
    const items = await tableItems();
    for (const name of [u.userName, ...newNames]) expect(markersOf(items, name)).toEqual([]);
    for (const n of newNames) expect((await server.request('POST', '/Users', { schemas: [CORE], userName: n })).status).toBe(201);
  });
});
