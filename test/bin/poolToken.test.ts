import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runTokenCli } from '../../bin/tokenCli/runTokenCli';
import { startLocalPool, type LocalPool } from '../../lambdas/local/startLocalPool';

describe('npm run token -- ... --pool (the token CLI against a pooled stack)', () => {
  let pool: LocalPool;
  beforeAll(async () => {
    pool = await startLocalPool({
      dataDir: mkdtempSync(join(tmpdir(), 'scim-pool-cli-')),
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `poolcli-${randomUUID().slice(0, 8)}`,
      configTtlMs: 0,
      authorizerCacheTtlMs: 0,
      // The CLI manages tokens; no test here reads events, so no stream poller.
      changeFeed: false,
    });
  });
  afterAll(async () => {
    await pool?.close();
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runTokenCli([...argv, '--pool', pool.origin, '--region', 'local'], {
      out: (t) => (out += t),
      err: (t) => (err += t),
      pool: { credentials: async () => pool.managementCredentials },
    });
    return { code, out, err };
  }
  const tokenIn = (text: string) => /Secret token:\s+(scim_\S+)/.exec(text)?.[1];
  const idIn = (text: string) => /Created token (tok_[0-9a-f]{12})/.exec(text)?.[1];
  const status = async (token: string, baseUrl: string) => (await fetch(`${baseUrl}/Users?count=1`, { headers: { Authorization: `Bearer ${token}` } })).status;

  it('creates (enabling the tenant), lists, rotates and revokes tokens that the pool then accepts or refuses', async () => {
    // Prepare
    const tenant = `cli-${randomUUID().slice(0, 6)}`;
    const baseUrl = `${pool.origin}/t/${tenant}/scim/v2`;
    // Act + Assess: create enables the tenant and prints its URL and a working token
    const created = await cli('create', '--tenant', tenant, '--label', 'entra');
    expect(created.code).toBe(0);
    expect(created.out).toContain(`Enabled tenant ${tenant}`);
    expect(created.out).toContain(baseUrl);
    const first = tokenIn(created.out)!;
    expect(await status(first, baseUrl)).toBe(200);
    // the last active token is protected
    const firstId = (await cli('list', '--tenant', tenant)).out.match(/tok_[0-9a-f]{12}/)![0];
    const refused = await cli('revoke', '--tenant', tenant, '--id', firstId);
    expect(refused.code).toBe(2);
    expect(await status(first, baseUrl)).toBe(200);
    // rotate: a second token, the first still valid; then revoke the first
    const rotated = await cli('rotate', '--tenant', tenant, '--id', firstId);
    expect(rotated.code).toBe(0);
    const second = tokenIn(rotated.out)!;
    expect(idIn(rotated.out)).not.toBe(firstId);
    expect(await status(second, baseUrl)).toBe(200);
    expect((await cli('revoke', '--tenant', tenant, '--id', firstId)).code).toBe(0);
    expect(await status(first, baseUrl)).toBe(401);
    const list = await cli('list', '--tenant', tenant);
    expect(list.out).toMatch(new RegExp(`${firstId}\\s+revoked`));
    expect(list.out).toContain('entra');
    expect(list.out).not.toContain(second);
  });

  it('fails with the management API\u2019s reason, never a stack trace, when the signature is wrong', async () => {
    let err = '';
    const code = await runTokenCli(['list', '--tenant', 'nobody', '--pool', pool.origin, '--region', 'local'], {
      out: () => {},
      err: (t) => (err += t),
      pool: { credentials: async () => ({ accessKeyId: 'AKWRONG', secretAccessKey: 'wrong' }) },
    });
    expect(code).toBe(1);
    expect(err).toMatch(/^error: 403/);
    expect(err).not.toContain('    at ');
  });

  it('refuses --pool without --region and with --local', async () => {
    const a = await runTokenCli(['list', '--tenant', 'x', '--pool', pool.origin], { out: () => {}, err: () => {} });
    const b = await runTokenCli(['list', '--tenant', 'x', '--pool', pool.origin, '--local', '/tmp/x'], { out: () => {}, err: () => {} });
    expect([a, b]).toEqual([2, 2]);
  });
});
