import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { listTokens } from '../../lambdas/auth/tokenStore';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { runAuditCli } from '../../bin/auditCli/runAuditCli';
import type { AuditEntry } from '../../lambdas/events/auditEntry';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('the audit trail from the stream, printed by npm run audit', () => {
  let server: TestServer;
  let tokenId: string;
  let tokenLabel: string;
  let userId: string;
  let otherId: string;

  /** Runs the CLI against the test server's table; returns its exit code and output. */
  async function audit(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runAuditCli(['--tenant', LOCAL_TENANT, '--table', server.tableName, '--endpoint', server.dynamoEndpoint, ...argv], {
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    return { code, out, err };
  }

  beforeAll(async () => {
    server = await startTestServer({ changeFeed: true });
    const [record] = await listTokens(LocalFileSecretSource.inDataDir(server.dataDir), { tenant: LOCAL_TENANT });
    tokenId = record.id;
    tokenLabel = record.label;
    userId = (await server.request('POST', '/Users', { schemas: [USER], userName: 'audited@example.com', password: 'Secret-123456' })).body.id;
    otherId = (await server.request('POST', '/Users', { schemas: [USER], userName: 'bystander@example.com' })).body.id;
    await server.request('PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] });
    const group = (await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Audited', members: [{ value: userId }] })).body.id;
    await server.request('PATCH', `/Users/${userId}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    // Rejected: leaves no trail.
    expect((await server.request('POST', '/Users', { schemas: [USER], userName: 'audited@example.com' })).status).toBe(409);
    await server.request('DELETE', `/Users/${userId}`);
    await server.request('DELETE', `/Groups/${group}`);
    await server.feed!.drain();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it("records who, what, when and from where for one user's life, deprovisioning and deletion by name", async () => {
    // Act
    const { code, out } = await audit('--user', userId, '--json');
    const entries = out.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    // Assess: the user's own changes and the group change naming it, oldest first
    expect(code).toBe(0);
    expect(entries.map((e) => e.operation).slice(0, 4)).toEqual(['user.created', 'user.updated', 'group.members_added', 'user.deactivated']);
    // The delete and its removal from the group commit together (same time): either order.
    expect(entries.map((e) => e.operation).slice(4).sort()).toEqual(['group.members_removed', 'user.deleted']);
    const deleted = entries.find((e) => e.operation === 'user.deleted')!;
    for (const e of entries) {
      expect(e.actor).toEqual({ tokenId, label: tokenLabel });
      expect(e.requestId).toEqual(expect.any(String));
      expect(e.sourceIp).toBe('127.0.0.1');
    }
    expect(entries[1]).toMatchObject({ resourceId: userId, changedAttributes: ['title'], versionBefore: 1, versionAfter: 2 });
    expect(entries[2].memberIds).toEqual([userId]);
    expect(entries[3]).toMatchObject({ versionBefore: 2, versionAfter: 3, changedAttributes: ['active'] });
    expect(deleted).toMatchObject({ resourceId: userId, versionBefore: 3 });
    expect(out).not.toContain('Secret-123456');
    expect(out).not.toContain(otherId);
  });

  it('prints one readable line per entry, saying deprovisioned and deleted', async () => {
    // Act
    const { code, out } = await audit('--user', userId);
    // Assess
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(new RegExp(`DEPROVISIONED \\(active=false\\) user ${userId} .*v2->v3 changed=active .*by ${tokenId} .*ip=127\\.0\\.0\\.1`));
    expect(lines.filter((l) => new RegExp(`DELETED user ${userId} `).test(l))).toHaveLength(1);
  });

  it('covers the whole tenant without --user, and nothing before --since', async () => {
    // Act
    const all = await audit('--json');
    const none = await audit('--since', '1m', '--user', 'no-such-id');
    // Assess
    const ops = all.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditEntry).operation);
    expect(ops.filter((o) => o === 'user.created')).toHaveLength(2);
    expect(ops).toContain('group.deleted');
    expect(none).toMatchObject({ code: 0, out: '' });
    expect(none.err).toContain('no audit entries');
  });

  it('refuses a bad command line with its usage and exit code 2', async () => {
    // Act
    let err = '';
    const code = await runAuditCli(['--since', 'forever'], { out: () => {}, err: (t) => void (err += t) });
    // Assess
    expect(code).toBe(2);
    expect(err).toContain('--tenant <name> is required');
    expect(err).toContain('usage: npm run audit');
  });
});
