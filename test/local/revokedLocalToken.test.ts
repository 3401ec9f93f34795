import { describe, it, expect } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startLocalStack } from '../../lambdas/local/startLocalStack';
import { LocalFileSecretSource, localTokensPath } from '../../lambdas/auth/LocalFileSecretSource';
import { createToken, revokeToken } from '../../lambdas/auth/tokenStore';
import { TokenRevokedError } from '../../lambdas/auth/errors';
import { hashToken } from '../../lambdas/auth/token';

describe('restarting the local server with a revoked SCIM_LOCAL_TOKEN', () => {
  it('refuses the token with a clear message, writes no record, and keeps the other tokens working', async () => {
    // Prepare: a local tenant whose first token was revoked after a second was issued
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-revoked-'));
    const options = { dataDir, port: 0, dynamoEndpoint: inject('dynamoEndpoint'), tableName: `rv-${randomUUID().slice(0, 8)}` };
    const first = await startLocalStack(options);
    await first.close();
    const source = LocalFileSecretSource.inDataDir(dataDir);
    const second = await createToken(source, { tenant: 'local', label: 'second' });
    const revoked = JSON.parse(readFileSync(localTokensPath(dataDir), 'utf8')).tokens.find((t: { sha256: string }) => t.sha256 === hashToken(first.token));
    await revokeToken(source, { tenant: 'local', id: revoked.id });
    const before = readFileSync(localTokensPath(dataDir), 'utf8');

    // Act
    const restart = startLocalStack({ ...options, token: first.token });

    // Assess
    await expect(restart).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(restart).rejects.toThrow(new RegExp(`SCIM_LOCAL_TOKEN names token ${revoked.id}, which is revoked`));
    expect(readFileSync(localTokensPath(dataDir), 'utf8')).toBe(before);
    const again = await startLocalStack(options);
    try {
      const r = await fetch(`${again.baseUrl}/Users`, { headers: { Authorization: `Bearer ${second.token}` } });
      const old = await fetch(`${again.baseUrl}/Users`, { headers: { Authorization: `Bearer ${first.token}` } });
      expect(r.status).toBe(200);
      expect(old.status).toBe(401);
    } finally {
      await again.close();
    }
  });
});
