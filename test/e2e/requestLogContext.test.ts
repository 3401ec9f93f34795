import { describe, it, expect, vi, afterAll, beforeAll } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LocalStack } from '../../lambdas/local/startLocalStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/**
 * The local server runs one handler for many concurrent requests, as a Lambda container does not:
 * the place where one request's log context could leak into another's.
 */
describe('log context of concurrent requests over HTTP', () => {
  let stack: LocalStack;
  const lines: string[] = [];
  let write: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    // INFO logging on, read once when the modules load: import them fresh after setting it.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.resetModules();
    const { startLocalStack } = await import('../../lambdas/local/startLocalStack');
    stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), 'scim-logs-')), port: 0, dynamoEndpoint: inject('dynamoEndpoint'), tableName: `logs-${randomUUID().slice(0, 8)}` });
    write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterAll(async () => {
    write?.mockRestore();
    vi.unstubAllEnvs();
    await stack?.close();
  });

  it('logs every line of 60 interleaved requests of two tokens under the token and operation that made it', async () => {
    // Prepare: a second token; token A only creates users, token B only lists groups
    const { LocalFileSecretSource } = await import('../../lambdas/auth/LocalFileSecretSource');
    const { createToken, listTokens } = await import('../../lambdas/auth/tokenStore');
    const source = LocalFileSecretSource.inDataDir(stack.dataDir);
    const b = await createToken(source, { tenant: 'local', label: 'b' });
    const idOf = async (label: string) => (await listTokens(source, { tenant: 'local' })).find((t) => t.label === label)!.id;
    const tokenA = { token: stack.token, id: (await listTokens(source, { tenant: 'local' })).find((t) => t.id !== b.record.id)!.id };
    const tokenB = { token: b.token, id: await idOf('b') };
    const call = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.status);
    lines.length = 0;

    // Act
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? call(tokenA.token, 'POST', '/Users', { schemas: [USER], userName: `log-${i}-${randomUUID()}` })
          : call(tokenB.token, 'GET', '/Groups?filter=displayName%20sw%20%22x%22'),
      ),
    );

    // Assess
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = logged.filter((l) => l.message === 'request');
    expect(requests).toHaveLength(60);
    for (const line of logged) {
      if (line.tokenId === tokenA.id) expect(line.operation, JSON.stringify(line)).toBe('user.create');
      else if (line.tokenId === tokenB.id) expect(line.operation, JSON.stringify(line)).toBe('group.list');
      else throw new Error(`a line without the request's token id: ${JSON.stringify(line)}`);
    }
    expect(requests.filter((l) => l.tokenId === tokenA.id && l.status === '201')).toHaveLength(30);
    expect(requests.filter((l) => l.tokenId === tokenB.id && l.status === '200')).toHaveLength(30);
    // Every request has its own id, used on its line only once.
    expect(new Set(requests.map((l) => l.requestId)).size).toBe(60);
  });
});
