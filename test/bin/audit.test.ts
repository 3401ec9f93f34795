import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { startLocalStack, LOCAL_TENANT } from '../../lambdas/local/startLocalStack';
import { startLocalPool } from '../../lambdas/local/startLocalPool';
import { runAuditCli } from '../../bin/auditCli/runAuditCli';
import type { AuditEntry } from '../../lambdas/events/auditEntry';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const run = promisify(execFile);

async function scim(url: string, token: string, method: string, body?: unknown): Promise<{ status: number; id?: string }> {
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, id: text ? (JSON.parse(text) as { id?: string }).id : undefined };
}

/** Creates, deprovisions and deletes one user: the trail must read as exactly that. */
async function lifecycle(baseUrl: string, token: string, userName: string): Promise<string> {
  const created = await scim(`${baseUrl}/Users`, token, 'POST', { schemas: [USER], userName });
  expect(created.status).toBe(201);
  expect((await scim(`${baseUrl}/Users/${created.id}`, token, 'PATCH', { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(200);
  expect((await scim(`${baseUrl}/Users/${created.id}`, token, 'DELETE')).status).toBe(204);
  // A rejected request leaves no trail.
  expect((await scim(`${baseUrl}/Users`, token, 'POST', { schemas: [USER] })).status).toBe(400);
  return created.id!;
}

/** Runs the CLI in-process and collects what it prints. */
async function audit(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAuditCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('npm run audit against what npm start kept', () => {
  it('prints the local tenant\u2019s trail after npm start stopped: creation, deprovisioning and deletion by the token that made them', async () => {
    // Arrange: npm start's layout (its own DynamoDB Local under <dataDir>/dynamodb), then stopped.
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-audit-'));
    const stack = await startLocalStack({ dataDir, port: 0, changeFeed: true });
    let userId = '';
    try {
      userId = await lifecycle(stack.baseUrl, stack.token, 'gone@audit.example');
      await stack.feed!.drain();
      await stack.feed!.drain();
    } finally {
      await stack.close();
    }
    // Act: the real command line, as a user types it.
    const { stdout, stderr } = await run('npx', ['tsx', 'bin/audit.ts', '--tenant', LOCAL_TENANT, '--local', dataDir, '--since', '1h'], { cwd: process.cwd(), timeout: 90_000 });
    // Assert
    const lines = stdout.trim().split('\n');
    expect(stderr).toBe('');
    expect(lines.map((l) => / (created user|DEPROVISIONED \(active=false\) user|DELETED user) /.exec(l)?.[1])).toEqual(['created user', 'DEPROVISIONED (active=false) user', 'DELETED user']);
    expect(lines.every((l) => l.includes(userId) && / by tok_[A-Za-z0-9_-]+ \(".+"\) /.test(l) && /request=[^-\s]/.test(l) && /ip=127\.0\.0\.1|ip=::1|ip=::ffff:127\.0\.0\.1/.test(l))).toBe(true);
    expect(lines[1]).toMatch(/v1->v2 changed=active/);
  }, 180_000);

  it('reads one pooled tenant\u2019s trail only with --pool, as JSON, and filters by --user', async () => {
    // Arrange: npm start -- --pool keeps its data under <dataDir>/pool.
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-audit-pool-'));
    const pool = await startLocalPool({ dataDir: join(dataDir, 'pool'), port: 0, configTtlMs: 0, authorizerCacheTtlMs: 0 });
    const a = await pool.management.enableTenant(`aa-${randomUUID().slice(0, 6)}`, { label: 'entra' });
    const b = await pool.management.enableTenant(`bb-${randomUUID().slice(0, 6)}`);
    let gone = '';
    let kept = '';
    let other = '';
    try {
      gone = await lifecycle(a.scimBaseUrl, a.token, 'gone@a.example');
      kept = (await scim(`${a.scimBaseUrl}/Users`, a.token, 'POST', { schemas: [USER], userName: 'kept@a.example' })).id!;
      other = (await scim(`${b.scimBaseUrl}/Users`, b.token, 'POST', { schemas: [USER], userName: 'other@b.example' })).id!;
      await pool.feed!.drain();
      await pool.feed!.drain();
    } finally {
      await pool.close();
    }
    // Act
    const all = await audit(['--tenant', a.tenant, '--local', dataDir, '--pool', '--json']);
    const one = await audit(['--tenant', a.tenant, '--local', dataDir, '--pool', '--json', '--user', gone]);
    // Assert
    expect(all.code).toBe(0);
    const entries = all.out.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => `${e.operation} ${e.resourceId}`)).toEqual([`user.created ${gone}`, `user.deactivated ${gone}`, `user.deleted ${gone}`, `user.created ${kept}`]);
    expect(entries.every((e) => e.actor?.label === 'entra')).toBe(true);
    expect(all.out).not.toContain(other);
    expect(one.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditEntry).operation)).toEqual(['user.created', 'user.deactivated', 'user.deleted']);
  }, 180_000);

  it('refuses a bad command line with the usage and exit code 2', async () => {
    const r = await audit(['--tenant', 'Bad Name']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: npm run audit/);
  });
});
