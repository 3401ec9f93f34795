import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runTokenCli } from '../../bin/tokenCli/runTokenCli';
import { startLocalPool, type LocalPool } from '../../lambdas/local/startLocalPool';
import { requestToken } from '../support/oauthClient';

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

  it('client create|add-secret|revoke-secret|list|revoke --pool: turns OAuth on, prints the secret once, and the pool issues and refuses tokens accordingly', async () => {
    // Prepare
    const tenant = `oc-${randomUUID().slice(0, 6)}`;
    await pool.management.enableTenant(tenant);
    const tokenUrl = `${pool.origin}/t/${tenant}/oauth2/token`;
    const secretIn = (text: string) => /Client secret:\s+(scimcs_\S+)/.exec(text)?.[1];
    const clientIn = (text: string) => /Client ID:\s+(cli_[0-9a-f]{16})/.exec(text)?.[1];
    const secretIdIn = (text: string) => /Secret id:\s+(sec_[0-9a-f]{12})/.exec(text)?.[1];
    const exchange = (clientId: string, secret: string) => requestToken(tokenUrl, { grant_type: 'client_credentials' }, { basic: { clientId, secret } });
    // Act + Assess: create turns OAuth on and prints the tenant's token endpoint
    const created = await cli('client', 'create', '--tenant', tenant, '--label', 'Entra gallery');
    expect(created.code).toBe(0);
    expect(created.out).toContain(`Turned OAuth on for tenant ${tenant}`);
    expect(created.out).toContain(`Token endpoint: ${tokenUrl}`);
    const clientId = clientIn(created.out)!;
    const first = secretIn(created.out)!;
    expect((await exchange(clientId, first)).status).toBe(200);
    // add-secret: both work; revoke-secret of the first (not the last): it stops
    const added = await cli('client', 'add-secret', '--tenant', tenant, '--client-id', clientId);
    expect(added.code).toBe(0);
    const second = secretIn(added.out)!;
    expect((await exchange(clientId, second)).status).toBe(200);
    const revoked = await cli('client', 'revoke-secret', '--tenant', tenant, '--client-id', clientId, '--secret-id', secretIdIn(created.out)!);
    expect(revoked.code).toBe(0);
    expect((await exchange(clientId, first)).status).toBe(401);
    // the last active secret is protected: the API's refusal, exit 1, no stack trace
    const last = await cli('client', 'revoke-secret', '--tenant', tenant, '--client-id', clientId, '--secret-id', secretIdIn(added.out)!);
    expect(last.code).toBe(1);
    expect(last.err).toMatch(/^error: 409 conflict: .*last active secret/);
    const list = await cli('client', 'list', '--tenant', tenant);
    expect(list.out).toMatch(new RegExp(`${clientId}\\s+active`));
    expect(list.out).not.toContain(second);
    expect((await cli('client', 'revoke', '--tenant', tenant, '--client-id', clientId)).code).toBe(0);
    expect((await exchange(clientId, second)).status).toBe(401);
  });
});
