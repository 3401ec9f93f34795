import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../../lambdas/store/clients';
import { ScimStore } from '../../lambdas/store';
import { POOL_KEYS } from '../../lambdas/store/keys';
import type { LocalPool } from '../../lambdas/local/startLocalPool';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { startTestPool } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary SCIM JSON
async function send(url: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Every item of the table (tests only: the code under test never scans). */
async function allItems(pool: LocalPool): Promise<Record<string, unknown>[]> {
  const { doc } = createDynamoClients({ endpoint: inject('dynamoEndpoint') });
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: pool.tableName, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** A tenant with users (emails, externalIds), groups with members, a nested group, a deleted user and paging state. */
async function seedTenant(url: string, token: string, users: number): Promise<{ userIds: string[]; groupIds: string[] }> {
  const userIds: string[] = [];
  for (let i = 0; i < users; i++) {
    const r = await send(`${url}/Users`, token, 'POST', {
      schemas: [CORE],
      userName: `user${i}@tenant.example`,
      externalId: `ext-${i}`,
      emails: [{ value: `user${i}@tenant.example`, type: 'work', primary: true }],
      password: 'Secret-Password-1!',
    });
    expect(r.status).toBe(201);
    userIds.push(r.body.id);
  }
  const team = await send(`${url}/Groups`, token, 'POST', { schemas: [GROUP], displayName: 'Team', externalId: 'g-1', members: userIds.slice(0, 5).map((value) => ({ value })) });
  const all = await send(`${url}/Groups`, token, 'POST', { schemas: [GROUP], displayName: 'All', members: [{ value: team.body.id }, { value: userIds[users - 1] }] });
  await send(`${url}/Users/${userIds[1]}`, token, 'PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
  expect((await send(`${url}/Users/${userIds[2]}`, token, 'DELETE')).status).toBe(204);
  // startIndex paging leaves a page cursor, and a list reads the tenant's cursor key.
  await send(`${url}/Users?startIndex=3&count=2`, token);
  await send(`${url}/Users?cursor=&count=2`, token);
  return { userIds: userIds.filter((_, i) => i !== 2), groupIds: [team.body.id, all.body.id] };
}

describe('exporting and deleting a pooled tenant through the management API', () => {
  let pool: LocalPool;
  beforeAll(async () => {
    pool = await startTestPool('pooldata', {
      deleteQuietMs: 0,
      // A tiny budget per call: a delete takes many calls, as a large tenant does on AWS.
      deleteBudgetMs: 20,
      // Export and deletion of SCIM data: no test here reads events, so no stream poller.
      changeFeed: false,
    });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('exports every resource of the tenant in SCIM form, groups with their members, never a password or another tenant', async () => {
    // Prepare
    const a = await pool.management.enableTenant(`xa-${randomUUID().slice(0, 6)}`);
    const b = await pool.management.enableTenant(`xb-${randomUUID().slice(0, 6)}`);
    const seeded = await seedTenant(a.scimBaseUrl, a.token, 12);
    // seeded.userIds leaves out user 2 (deleted): indexes 0-3 are users 0, 1, 3, 4.
    await send(`${b.scimBaseUrl}/Users`, b.token, 'POST', { schemas: [CORE], userName: 'someone@b.example' });
    // Act
    const exported: Record<string, unknown>[] = [];
    for await (const r of pool.management.exportTenant(a.tenant)) exported.push(r);
    // Assess
    const users = exported.filter((r) => (r.schemas as string[]).includes(CORE));
    const groups = exported.filter((r) => (r.schemas as string[]).includes(GROUP));
    expect(users.map((u) => u.id).sort()).toEqual([...seeded.userIds].sort());
    expect(groups.map((g) => g.displayName).sort()).toEqual(['All', 'Team']);
    const team = groups.find((g) => g.displayName === 'Team')!;
    // Team had users 0-4; user 2 was deleted since.
    expect((team.members as { value: string }[]).map((m) => m.value).sort()).toEqual([seeded.userIds[0], seeded.userIds[1], seeded.userIds[2], seeded.userIds[3]].sort());
    const everyone = groups.find((g) => g.displayName === 'All')!;
    expect((everyone.members as { value: string; type: string }[]).map((m) => m.type).sort()).toEqual(['Group', 'User']);
    expect(JSON.stringify(exported)).not.toContain('Secret-Password');
    expect(JSON.stringify(exported)).not.toContain('someone@b.example');
    expect((users[0].meta as { location: string }).location.startsWith(`${a.scimBaseUrl}/Users/`)).toBe(true);
  });

  it('refuses an export cursor that is not one it answered', async () => {
    const a = await pool.management.enableTenant(`xc-${randomUUID().slice(0, 6)}`);
    const forged = Buffer.from(JSON.stringify({ PK: 'x', SK: 'y', GSI2PK: 'other#TYPE#USER', GSI2SK: 'z' })).toString('base64url');
    const err = await pool.management.exportPage(a.tenant, 'Users', forged).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManagementApiError);
    expect((err as ManagementApiError).status).toBe(400);
  });

  it('deletes every item of the tenant in resumable steps, leaves the other tenant untouched, and frees the name', async () => {
    // Prepare
    const a = await pool.management.enableTenant(`da-${randomUUID().slice(0, 6)}`);
    const b = await pool.management.enableTenant(`db-${randomUUID().slice(0, 6)}`);
    const seededA = await seedTenant(a.scimBaseUrl, a.token, 30);
    await seedTenant(b.scimBaseUrl, b.token, 3);
    // An all-or-nothing bulk of tenant a that died: its open rollback journal holds prior images.
    const storeA = new ScimStore({ doc: createDynamoClients({ endpoint: inject('dynamoEndpoint') }).doc, tableName: pool.tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(a.tenant) });
    const journal = await storeA.openRollbackJournal(randomUUID());
    const group = (await storeA.getGroup(seededA.groupIds[0]))!;
    const members = Array.from({ length: 600 }, () => ({ value: randomUUID(), type: 'User' as const }));
    await storeA.recordRollbackEntry(journal, { seq: 0, index: 0, method: 'PUT', type: 'Group', id: group.id, kind: 'updated', before: group, members });
    const before = await allItems(pool);
    const ofB = (items: Record<string, unknown>[]) => items.filter((i) => String(i.PK).startsWith(`${b.tenant}#`)).map((i) => `${String(i.PK)}|${String(i.SK)}`).sort();
    expect(before.filter((i) => String(i.PK).startsWith(`${a.tenant}#`)).length).toBeGreaterThan(100);
    // Act: step by step, as a client resuming after each answer would
    let steps = 0;
    let last;
    do {
      last = await pool.management.deleteTenantStep(a.tenant);
      steps++;
      if (steps === 1) expect((await send(`${a.scimBaseUrl}/Users`, a.token)).status).toBe(401);
    } while (!last.done && steps < 2_000);
    // Assess
    expect(last.done).toBe(true);
    expect(steps).toBeGreaterThan(1);
    const after = await allItems(pool);
    const leftOfA = after.filter((i) => String(i.PK).startsWith(`${a.tenant}#`) || String(i.PK).includes(`#${a.tenant}`) || JSON.stringify(i).includes(`"tenant":"${a.tenant}"`));
    // Only startIndex page cursors remain: they hold a position, expire in 15 minutes and go by TTL.
    expect(leftOfA.filter((i) => !String(i.PK).startsWith(`${a.tenant}#PAGE#`))).toEqual([]);
    expect(leftOfA.every((i) => typeof i.expiresAt === 'number')).toBe(true);
    expect(ofB(after)).toEqual(ofB(before));
    expect((await send(`${b.scimBaseUrl}/Users?count=1`, b.token)).status).toBe(200);
    const gone = await pool.management.getTenant(a.tenant).catch((e: unknown) => e);
    expect((gone as ManagementApiError).status).toBe(404);
    // The name can be enabled again, empty.
    const again = await pool.management.enableTenant(a.tenant);
    expect((await send(`${again.scimBaseUrl}/Users`, again.token)).body.totalResults).toBe(0);
  }, 180_000);

  it('keeps a deleting tenant disabled and its record until the quiet period has passed, whatever is asked meanwhile', async () => {
    // Prepare: a pool whose quiet period is long
    const quiet = await startTestPool('poolquiet', {
      deleteQuietMs: 600_000,
      changeFeed: false,
    });
    try {
      const a = await quiet.management.enableTenant(`qa-${randomUUID().slice(0, 6)}`);
      await send(`${a.scimBaseUrl}/Users`, a.token, 'POST', { schemas: [CORE], userName: 'q@a.example' });
      // Act
      const first = await quiet.management.deleteTenantStep(a.tenant);
      const second = await quiet.management.deleteTenantStep(a.tenant);
      const reenable = await fetch(`${quiet.origin}/manage/tenants/${a.tenant}/enable`, { method: 'POST' });
      const viaClient = await quiet.management.reenableTenant(a.tenant).catch((e: unknown) => e);
      const issue = await quiet.management.issueToken(a.tenant).catch((e: unknown) => e);
      // Assess
      expect(first).toMatchObject({ status: 'deleting', done: false });
      expect(second.done).toBe(false);
      expect(second.retryAfterSeconds).toBeGreaterThan(500);
      expect(reenable.status).toBe(403);
      expect((viaClient as ManagementApiError).status).toBe(409);
      expect((issue as ManagementApiError).status).toBe(409);
      expect((await quiet.management.getTenant(a.tenant)).status).toBe('deleting');
      expect((await send(`${a.scimBaseUrl}/Users`, a.token)).status).toBe(401);
    } finally {
      await quiet.close();
    }
  });
});
