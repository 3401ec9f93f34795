import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { listTokens } from '../../lambdas/auth/tokenStore';
import { runSmoke } from '../../bin/smokeCli/runSmoke';
import { startTestServer, type TestServer } from '../support/localStack';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the smoke command in-process, capturing what it prints. */
async function smoke(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runSmoke(argv, { out: (t) => (out += t), err: (t) => (err += t), sleep: async () => {} });
  return { code, out, err };
}

describe('npm run smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('passes against the local server with a token it issues, and revokes that token afterwards', async () => {
    // Act
    const { code, out } = await smoke(['--url', server.baseUrl, '--tenant', 'local', '--local', server.dataDir]);
    // Assess
    expect(out).toMatch(/^smoke PASS tenant=local url=\S+ checks=\d+ failed=0$/m);
    expect(code).toBe(0);
    for (const area of ['discovery:', 'errors:', 'entra:', 'okta:', 'cleanup:']) expect(out).toContain(`PASS ${area}`);
    const issued = /issued (tok_\w+)/.exec(out)?.[1];
    const tokens = await listTokens(LocalFileSecretSource.inDataDir(server.dataDir), { tenant: 'local' });
    expect(tokens.find((t) => t.id === issued)?.status).toBe('revoked');
  });

  it('leaves nothing behind: every user and group it created is deleted', async () => {
    await smoke(['--url', server.baseUrl, '--token', server.token]);
    const users = await server.request('GET', `/Users?filter=${encodeURIComponent('userName sw "smoke-"')}`);
    const groups = await server.request('GET', `/Groups?filter=${encodeURIComponent('displayName sw "smoke-"')}`);
    expect([users.status, users.body.totalResults, groups.status, groups.body.totalResults]).toEqual([200, 0, 200, 0]);
  });

  it('fails with exit code 1 and a FAIL line when the token is refused', async () => {
    const { code, out } = await smoke(['--url', server.baseUrl, '--token', `scim_local_${'B'.repeat(43)}`]);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL discovery: \/ServiceProviderConfig: expected 200, got 401/m);
    expect(out).toMatch(/^smoke FAIL tenant=local /m);
  });

  it('refuses a command line without a tenant or URL, with usage', async () => {
    const { code, err } = await smoke(['--token', 'not-a-token']);
    expect(code).toBe(2);
    expect(err).toMatch(/usage: npm run smoke/);
  });

  it('runs as the npm script, printing the pass line', { timeout: 90_000 }, async () => {
    // Asynchronously: the local server answering it lives in this process.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/smoke.ts', '--url', server.baseUrl, '--token', server.token], { cwd: REPO_ROOT, timeout: 80_000 });
    expect(stdout).toMatch(/^smoke PASS /m);
  });
});
