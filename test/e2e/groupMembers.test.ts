import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, type TestServer } from '../support/localStack';
import { attachRequestCounter, type RequestCounter } from '../../lambdas/store';
import { seedUserItems } from '../support/seedUserItems';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** Fast fixtures for large groups: user items written straight into the table. */
async function seedUsers(server: TestServer, prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  await seedUserItems(server.doc, server.tableName, ids);
  return ids;
}

/** Member ids as the table holds them (membership items under the group's partition). */
async function membershipItems(server: TestServer, groupId: string): Promise<string[]> {
  const out: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await server.doc.send(new QueryCommand({
      TableName: server.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': `GROUP#${groupId}`, ':m': 'MEMBER#' },
      ExclusiveStartKey: start,
    }));
    out.push(...(page.Items ?? []).map((i) => i.memberId as string));
    start = page.LastEvaluatedKey;
  } while (start);
  return out.sort();
}

/** Groups holding `memberId` according to the reverse index (GSI1). */
async function reverseEntries(server: TestServer, memberId: string): Promise<string[]> {
  const page = await server.doc.send(new QueryCommand({
    TableName: server.tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': `MEMBER#${memberId}` },
  }));
  return (page.Items ?? []).map((i) => String(i.GSI1SK).slice('GROUP#'.length)).sort();
}

describe('/Groups member PATCH over HTTP: deltas, atomicity, nesting, cleanup, cost', () => {
  let server: TestServer;
  let counter: RequestCounter;
  let users: string[];
  const createGroup = async (body: Record<string, unknown>) => {
    const r = await server.request('POST', '/Groups', { schemas: [GROUP], ...body });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const memberIds = async (groupId: string): Promise<string[]> => {
    const r = await server.request('GET', `/Groups/${groupId}?attributes=members`);
    expect(r.status).toBe(200);
    return ((r.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
  };
  const patch = (groupId: string, ...ops: unknown[]) => server.request('PATCH', `/Groups/${groupId}`, patchBody(...ops));

  beforeAll(async () => {
    server = await startTestServer({ scimConfig: { maxMembersInResponse: 50 } });
    counter = attachRequestCounter(server.doc);
    users = await seedUsers(server, 'u', 400);
  });
  afterAll(async () => {
    counter?.detach();
    await server?.close();
  });

  it('adds and removes members in one batched PATCH with capitalised ops, as a delta', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Batched', members: [{ value: users[0] }, { value: users[1] }] });

    // Act
    const r = await patch(g,
      { op: 'Add', path: 'members', value: [{ value: users[2] }, { value: users[3] }] },
      { op: 'Remove', path: 'members', value: [{ value: users[0] }] },
      { op: 'remove', path: `members[value eq "${users[1]}"]` },
    );

    // Assess
    expect(r.status).toBe(204);
    expect(r.headers.etag).toBe('W/"2"');
    expect(await memberIds(g)).toEqual([users[2], users[3]]);
    expect(await membershipItems(server, g)).toEqual([users[2], users[3]]);
  });

  it('costs one GetItem, two BatchGets and one transaction for a member PATCH, writing only the changed members', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Counted' });
    for (let i = 0; i < 300; i += 100) expect((await patch(g, { op: 'add', path: 'members', value: users.slice(i, i + 100).map((value) => ({ value })) })).status).toBe(204);
    counter.reset();

    // Act
    const r = await patch(g, { op: 'Add', path: 'members', value: [{ value: users[300] }, { value: users[301] }] }, { op: 'remove', path: `members[value eq "${users[5]}"]` });

    // Assess
    expect(r.status).toBe(204);
    // The second BatchGet re-reads the added users after the commit (a user deleted meanwhile loses the membership).
    expect(counter.counts.byCommand).toEqual({ GetItemCommand: 1, BatchGetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(counter.counts.requests).toBe(4);
    // 3 membership items + the group item, whatever the group's size.
    expect(counter.counts.itemWrites).toBe(4);
    expect(counter.counts.scans).toBe(0);
  });

  it('reads a group with excludedAttributes=members in exactly one DynamoDB request', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'One read' });
    for (let i = 0; i < 400; i += 100) await patch(g, { op: 'add', path: 'members', value: users.slice(i, i + 100).map((value) => ({ value })) });
    counter.reset();

    // Act
    const r = await server.request('GET', `/Groups/${g}?excludedAttributes=members`);

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: g, displayName: 'One read' });
    expect(r.body.members).toBeUndefined();
    expect(counter.counts.requests).toBe(1);
    expect(counter.counts.byCommand).toEqual({ GetItemCommand: 1 });
  });

  it('answers a full GET of a group over the response limit with 400 tooMany naming excludedAttributes=members', async () => {
    // Prepare (this server's maxMembersInResponse is 50)
    const g = await createGroup({ displayName: 'Too large' });
    await patch(g, { op: 'add', path: 'members', value: users.slice(0, 51).map((value) => ({ value })) });
    counter.reset();

    // Act
    const full = await server.request('GET', `/Groups/${g}`);
    const listed = await server.request('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "Too large"'));

    // Assess
    expect(full.status).toBe(400);
    expect(full.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'tooMany' });
    expect(full.body.detail).toContain('excludedAttributes=members');
    expect(listed.status).toBe(400);
    expect(listed.body.scimType).toBe('tooMany');
    expect((await server.request('GET', `/Groups/${g}?excludedAttributes=members`)).status).toBe(200);
  });

  it('answers a create or PUT of a group over the response limit with the group without members, not an error', async () => {
    // Act
    const created = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Born large', members: users.slice(0, 60).map((value) => ({ value })) });
    const put = await server.request('PUT', `/Groups/${created.body.id}`, { schemas: [GROUP], displayName: 'Born large', members: users.slice(1, 61).map((value) => ({ value })) });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: 'Born large' });
    expect(created.body.members).toBeUndefined();
    expect(put.status).toBe(200);
    expect(put.body.members).toBeUndefined();
    expect(await membershipItems(server, created.body.id)).toEqual(users.slice(1, 61));
  });

  it('treats adding an existing member and removing an absent one as no-ops, not errors', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Idempotent', members: [{ value: users[0] }] });

    // Act
    const r = await patch(g, { op: 'add', path: 'members', value: [{ value: users[0] }] }, { op: 'remove', path: 'members', value: [{ value: users[9] }] }, { op: 'remove', path: `members[value eq "${users[8]}"]` });

    // Assess
    expect(r.status).toBe(204);
    expect(await memberIds(g)).toEqual([users[0]]);
  });

  it('refuses a PATCH adding a nonexistent member with 400 invalidValue naming it, applying nothing of the PATCH', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Atomic', members: [{ value: users[0] }] });
    const before = await server.request('GET', `/Groups/${g}`);

    // Act
    const r = await patch(g,
      { op: 'replace', path: 'displayName', value: 'Atomic renamed' },
      { op: 'add', path: 'members', value: [{ value: users[1] }, { value: 'ghost-user-1' }] },
      { op: 'remove', path: `members[value eq "${users[0]}"]` },
    );

    // Assess
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(r.body.detail).toContain('ghost-user-1');
    const after = await server.request('GET', `/Groups/${g}`);
    expect(after.body.displayName).toBe('Atomic');
    expect(after.body.meta.version).toBe(before.body.meta.version);
    expect(await memberIds(g)).toEqual([users[0]]);
  });

  it('applies 100 member changes in one PATCH atomically in one transaction', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Hundred' });
    counter.reset();

    // Act
    const r = await patch(g, { op: 'add', path: 'members', value: users.slice(0, 50).map((value) => ({ value })) }, { op: 'add', path: 'members', value: users.slice(50, 98).map((value) => ({ value })) });

    // Assess
    expect(r.status).toBe(204);
    expect(counter.counts.byCommand.TransactWriteItemsCommand).toBe(1);
    expect(await membershipItems(server, g)).toEqual(users.slice(0, 98));
  });

  it('applies 250 member adds in one PATCH, and a retry of the same PATCH converges', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Two fifty' });
    const body = patchBody({ op: 'add', path: 'members', value: users.slice(100, 350).map((value) => ({ value })) });

    // Act
    const first = await server.request('PATCH', `/Groups/${g}`, body);
    const retry = await server.request('PATCH', `/Groups/${g}`, body);

    // Assess
    expect(first.status).toBe(204);
    expect(retry.status).toBe(204);
    expect(await membershipItems(server, g)).toEqual(users.slice(100, 350));
    const read = await server.request('GET', `/Groups/${g}?excludedAttributes=members`);
    expect(read.status).toBe(200);
    expect((await server.store.getGroup(g))?.memberCount).toBe(250);
  });

  it('replaces the member list (Okta) writing only the difference', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Replace diff', members: users.slice(0, 30).map((value) => ({ value })) });
    counter.reset();

    // Act: keep 0..27, drop 28 and 29, add 30
    const r = await patch(g, { op: 'replace', path: 'members', value: [...users.slice(0, 28), users[30]].map((value) => ({ value })) });

    // Assess
    expect(r.status).toBe(204);
    // 2 removed + 1 added + the group item.
    expect(counter.counts.itemWrites).toBe(4);
    expect(await membershipItems(server, g)).toEqual([...users.slice(0, 28), users[30]].sort());
  });

  it('replaces the group with PUT writing only the member difference', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Put diff', members: users.slice(0, 20).map((value) => ({ value })) });
    counter.reset();

    // Act
    const r = await server.request('PUT', `/Groups/${g}`, { schemas: [GROUP], displayName: 'Put diff', members: users.slice(1, 21).map((value) => ({ value })) });

    // Assess
    expect(r.status).toBe(200);
    expect(counter.counts.itemWrites).toBe(3);
    expect(await membershipItems(server, g)).toEqual(users.slice(1, 21));
  });

  it('adds members with a no-path add and renames with an id inside the value (Okta)', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'No path' });

    // Act
    const add = await patch(g, { op: 'add', value: { members: [{ value: users[0], display: 'U0' }] } });
    const rename = await patch(g, { op: 'replace', value: { id: g, displayName: 'No path renamed' } });

    // Assess
    expect(add.status).toBe(204);
    expect(rename.status).toBe(204);
    const read = await server.request('GET', `/Groups/${g}`);
    expect(read.body.displayName).toBe('No path renamed');
    expect(read.body.members).toEqual([expect.objectContaining({ value: users[0], display: 'U0', type: 'User' })]);
  });

  it('answers 200 with the resource when the PATCH asks for attributes', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Patch 200' });

    // Act
    const r = await server.request('PATCH', `/Groups/${g}?excludedAttributes=members`, patchBody({ op: 'replace', path: 'description', value: 'd' }));

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: g, displayName: 'Patch 200', description: 'd' });
  });

  it('nests groups, lists direct and indirect groups of a user, and refuses cycles with a clear 400', async () => {
    // Prepare
    const child = await createGroup({ displayName: 'Nested child', members: [{ value: users[0] }] });
    const parent = await createGroup({ displayName: 'Nested parent', members: [{ value: child, type: 'Group' }] });
    const grand = await createGroup({ displayName: 'Nested grand' });
    await patch(grand, { op: 'add', path: 'members', value: [{ value: parent }] });

    // Act
    const user = await server.request('GET', `/Users/${users[0]}?attributes=groups`);
    const cycle = await patch(child, { op: 'add', path: 'members', value: [{ value: grand, type: 'Group' }] });
    const self = await patch(child, { op: 'add', path: 'members', value: [{ value: child }] });

    // Assess
    expect(user.status).toBe(200);
    expect(user.body.groups).toEqual(expect.arrayContaining([
      expect.objectContaining({ value: child, display: 'Nested child', type: 'direct' }),
      expect.objectContaining({ value: parent, display: 'Nested parent', type: 'indirect' }),
      expect.objectContaining({ value: grand, display: 'Nested grand', type: 'indirect' }),
    ]));
    const parentRead = await server.request('GET', `/Groups/${parent}`);
    expect(parentRead.body.members).toEqual([expect.objectContaining({ value: child, type: 'Group', $ref: `${server.baseUrl}/Groups/${child}` })]);
    for (const r of [cycle, self]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidValue' });
      expect(r.body.detail).toMatch(/cycle/);
    }
    expect(await memberIds(child)).toEqual([users[0]]);
  });

  it('removes a deleted user from every group: membership items, reverse index and the API', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [USER], userName: 'leaver@example.com' })).body.id as string;
    const g1 = await createGroup({ displayName: 'Leaver one', members: [{ value: u }, { value: users[0] }] });
    const g2 = await createGroup({ displayName: 'Leaver two', members: [{ value: u }] });
    expect(await reverseEntries(server, u)).toEqual([g1, g2].sort());

    // Act
    const del = await server.request('DELETE', `/Users/${u}`);

    // Assess
    expect(del.status).toBe(204);
    expect(await memberIds(g1)).toEqual([users[0]]);
    expect(await memberIds(g2)).toEqual([]);
    expect(await reverseEntries(server, u)).toEqual([]);
    const holding = await server.request('GET', '/Groups?filter=' + encodeURIComponent(`members[value eq "${u}"]`));
    expect(holding.body).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await server.store.getGroup(g1))?.memberCount).toBe(1);
  });

  it('answers a membership check AND-ed with displayName or externalId from the member lookup, not 400', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [USER], userName: 'checked@example.com' })).body.id as string;
    const g = await createGroup({ displayName: 'Checked', externalId: 'ext-checked', members: [{ value: u }] });
    await createGroup({ displayName: 'Checked other', members: [{ value: users[0] }] });
    const get = (filter: string) => server.request('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(filter)}`);

    // Act
    const byName = await get(`displayName eq "Checked" and members[value eq "${u}"]`);
    const byExternalId = await get(`members[value eq "${u}"] and externalId eq "ext-checked"`);
    const notMember = await get(`displayName eq "Checked other" and members[value eq "${u}"]`);

    // Assess
    expect(byName.status).toBe(200);
    expect(byName.body.Resources.map((r: { id: string }) => r.id)).toEqual([g]);
    expect(byExternalId.body.Resources.map((r: { id: string }) => r.id)).toEqual([g]);
    expect(notMember.body).toMatchObject({ totalResults: 0 });
  });

  it('accepts a PATCH whose If-Match lists several tags including the current one, and refuses a stale one with 412', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Many tags' });

    // Act
    const ok = await server.request('PATCH', `/Groups/${g}`, patchBody({ op: 'add', path: 'members', value: [{ value: users[0] }] }), { 'If-Match': 'W/"7", W/"1"' });
    const stale = await server.request('PATCH', `/Groups/${g}`, patchBody({ op: 'add', path: 'members', value: [{ value: users[1] }] }), { 'If-Match': 'W/"1"' });

    // Assess
    expect(ok.status).toBe(204);
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ schemas: [ERROR], status: '412' });
    expect(await memberIds(g)).toEqual([users[0]]);
  });

  it('shows nothing of a group whose membership cleanup is deferred, and finishes it with continueCleanup', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Deferred', members: users.slice(0, 40).map((value) => ({ value })) });

    // Act
    const result = await server.store.deleteGroup(g, { cleanupBudget: 10 });

    // Assess
    expect(result.complete).toBe(false);
    expect((await membershipItems(server, g)).length).toBeGreaterThan(0);
    expect((await server.request('GET', `/Groups/${g}?excludedAttributes=members`)).status).toBe(404);
    const holding = await server.request('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${users[39]}"]`)}&excludedAttributes=members`);
    expect(holding.body).toMatchObject({ schemas: [LIST_SCHEMA] });
    expect(holding.body.Resources.map((x: { id: string }) => x.id)).not.toContain(g);
    expect((await server.request('GET', `/Users/${users[39]}?attributes=groups`)).body.groups?.map((x: { value: string }) => x.value) ?? []).not.toContain(g);
    expect((await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Deferred' })).status).toBe(201);
    while ((await server.store.continueCleanup()) > 0);
    expect(await membershipItems(server, g)).toEqual([]);
    expect(await reverseEntries(server, users[39])).not.toContain(g);
  });

  it('deletes a group with its membership items and reverse-index entries, nested memberships included', async () => {
    // Prepare
    const inner = await createGroup({ displayName: 'Delete inner' });
    const outer = await createGroup({ displayName: 'Delete outer', members: [{ value: inner }] });
    const g = await createGroup({ displayName: 'Delete me', members: [...users.slice(0, 120).map((value) => ({ value })), { value: inner }] });
    await patch(outer, { op: 'add', path: 'members', value: [{ value: g }] });

    // Act
    const del = await server.request('DELETE', `/Groups/${g}`);

    // Assess
    expect(del.status).toBe(204);
    expect(await membershipItems(server, g)).toEqual([]);
    expect(await reverseEntries(server, users[0])).not.toContain(g);
    expect(await reverseEntries(server, inner)).toEqual([outer]);
    expect(await reverseEntries(server, g)).toEqual([]);
    expect(await memberIds(outer)).toEqual([inner]);
    const user = await server.request('GET', `/Users/${users[0]}?attributes=groups`);
    expect(user.body.groups.map((x: { value: string }) => x.value)).not.toContain(g);
  });
});
