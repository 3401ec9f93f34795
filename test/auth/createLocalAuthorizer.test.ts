import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalAuthorizer } from '../../lambdas/auth/createLocalAuthorizer';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { createToken, revokeToken } from '../../lambdas/auth/tokenStore';
import { authEvent, NOW, TENANT } from './fixtures';

describe('createLocalAuthorizer', () => {
  it('re-reads the tokens file after its 1 s cache, so a CLI rotation needs no restart', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'scim-local-'));
    const source = LocalFileSecretSource.inDataDir(dataDir);
    const old = await createToken(source, { tenant: TENANT, label: 'old', now: () => NOW - 10 });
    let clock = NOW;
    const authorize = createLocalAuthorizer({ dataDir, tenant: TENANT, now: () => clock });
    const call = (token: string) => authorize(authEvent({ Authorization: `Bearer ${token}` }));
    // Act + Assess
    await expect(call(old.token)).resolves.toMatchObject({ principalId: old.record.id });
    const next = await createToken(source, { tenant: TENANT, label: 'new', now: () => NOW });
    await expect(call(old.token)).resolves.toMatchObject({ principalId: old.record.id });
    await revokeToken(source, { tenant: TENANT, id: old.record.id, now: () => NOW });
    clock += 1_000;
    await expect(call(old.token)).rejects.toThrow('Unauthorized');
    await expect(call(next.token)).resolves.toMatchObject({ principalId: next.record.id });
  });

  it('denies everything while no tokens file exists', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'scim-local-'));
    const authorize = createLocalAuthorizer({ dataDir, tenant: TENANT });
    await expect(authorize(authEvent({ Authorization: `Bearer scim_${TENANT}_${'A'.repeat(43)}` }))).rejects.toThrow('Unauthorized');
  });
});
