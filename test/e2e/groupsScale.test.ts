import { describe, it, expect } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, type TestServer } from '../support/localStack';
import { attachRequestCounter } from '../../lambdas/store';
import { seedUserItems } from '../support/seedUserItems';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Size of the large group (SCIM_SCALE_MEMBERS, default 100,000). */
const MEMBERS = Number(process.env.SCIM_SCALE_MEMBERS ?? 100_000);
/** Members added per PATCH while building it. */
const PER_PATCH = 1000;

async function seedUsers(server: TestServer, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `s-${String(i).padStart(7, '0')}`);
  await seedUserItems(server.doc, server.tableName, ids);
  return ids;
}

async function countMembershipItems(server: TestServer, groupId: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await server.doc.send(new QueryCommand({
      TableName: server.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': `GROUP#${groupId}`, ':m': 'MEMBER#' },
      Select: 'COUNT',
      ExclusiveStartKey: start,
    }));
    n += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return n;
}

/**
 * Issue 6's 100,000-member group over HTTP. Minutes on DynamoDB Local, so opt in with
 * SCIM_SCALE_TESTS=1 (SCIM_SCALE_MEMBERS picks the size).
 */
describe(`a ${MEMBERS}-member group over HTTP`, () => {
  it.runIf(process.env.SCIM_SCALE_TESTS === '1')('is built by successive PATCHes, patched at a flat cost, read with excludedAttributes=members in one request, and deleted without visible orphans', { timeout: 3_600_000 }, async () => {
    // Prepare
    const server = await startTestServer();
    const counter = attachRequestCounter(server.doc);
    try {
      const ids = await seedUsers(server, MEMBERS + 10);
      const created = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Everyone', members: [] });
      expect(created.status).toBe(201);
      const g = created.body.id as string;
      const started = Date.now();
      for (let i = 0; i < MEMBERS; i += PER_PATCH) {
        const r = await server.request('PATCH', `/Groups/${g}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: ids.slice(i, i + PER_PATCH).map((value) => ({ value, type: 'User' })) }] });
        expect(r.status).toBe(204);
      }
      console.log(`built ${MEMBERS} members by ${MEMBERS / PER_PATCH} PATCHes in ${Date.now() - started} ms`);

      // Act + Assess: a small delta on the full group costs what it costs on an empty one
      counter.reset();
      const delta = await server.request('PATCH', `/Groups/${g}`, { schemas: [PATCH_OP], Operations: [
        { op: 'Add', path: 'members', value: [{ value: ids[MEMBERS] }, { value: ids[MEMBERS + 1] }] },
        { op: 'remove', path: `members[value eq "${ids[0]}"]` },
      ] });
      expect(delta.status).toBe(204);
      expect(counter.counts.requests).toBe(3);
      expect(counter.counts.itemWrites).toBe(4);

      counter.reset();
      const light = await server.request('GET', `/Groups/${g}?excludedAttributes=members`);
      expect(light.status).toBe(200);
      expect(counter.counts.requests).toBe(1);
      expect((await server.store.getGroup(g))?.memberCount).toBe(MEMBERS + 1);

      if (MEMBERS > 10_000) {
        const full = await server.request('GET', `/Groups/${g}`);
        expect(full.status).toBe(400);
        expect(full.body.scimType).toBe('tooMany');
        expect(full.body.detail).toContain('excludedAttributes=members');
      }
      const check = await server.request('GET', `/Groups?filter=${encodeURIComponent(`id eq "${g}" and members[value eq "${ids[MEMBERS - 1]}"]`)}&excludedAttributes=members`);
      expect(check.body.totalResults).toBe(1);

      const delStarted = Date.now();
      const del = await server.request('DELETE', `/Groups/${g}`);
      expect(del.status).toBe(204);
      // Meanwhile nothing of it is visible through the API.
      expect((await server.request('GET', `/Groups/${g}?excludedAttributes=members`)).status).toBe(404);
      const holding = await server.request('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[MEMBERS - 1]}"]`)}`);
      expect(holding.body.totalResults).toBe(0);
      const user = await server.request('GET', `/Users/${ids[MEMBERS - 1]}?attributes=groups`);
      expect(user.body.groups ?? []).toEqual([]);
      while ((await server.store.continueCleanup()) > 0);
      console.log(`deleted it with its memberships in ${Date.now() - delStarted} ms`);
      expect(await countMembershipItems(server, g)).toBe(0);
    } finally {
      counter.detach();
      await server.close();
    }
  });
});
