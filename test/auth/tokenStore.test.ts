import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentModificationError, TokenNotFoundError } from '../../lambdas/auth/errors';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { SecretsManagerSecretSource } from '../../lambdas/auth/SecretsManagerSecretSource';
import { hashToken, tokenId } from '../../lambdas/auth/token';
import { parseTokenSecret } from '../../lambdas/auth/tokenSecret';
import { createToken, LastActiveTokenError, listTokens, revokeToken, rotateToken } from '../../lambdas/auth/tokenStore';
import { NOW, TENANT } from './fixtures';

const now = () => NOW;

async function localSource(): Promise<LocalFileSecretSource> {
  return LocalFileSecretSource.inDataDir(await mkdtemp(join(tmpdir(), 'scim-tokens-')));
}

describe('createToken', () => {
  it('stores only the hash, with read+write scopes by default, in a 0600 file', async () => {
    // Prepare
    const source = await localSource();
    // Act
    const { token, record } = await createToken(source, { tenant: TENANT, label: 'Entra', now });
    // Assess
    const text = await readFile(source.filePath, 'utf8');
    expect(text).not.toContain(token);
    expect(parseTokenSecret(text, TENANT).tokens).toEqual([record]);
    expect(record).toMatchObject({ id: tokenId(token), sha256: hashToken(token), label: 'Entra', scopes: ['scim:read', 'scim:write'], createdAt: '2026-01-01T00:00:00.000Z' });
    expect(record.expiresAt).toBeUndefined();
    expect((await stat(source.filePath)).mode & 0o777).toBe(0o600);
  });

  it('sets expiresAt and scopes when asked', async () => {
    const source = await localSource();
    const { record } = await createToken(source, { tenant: TENANT, label: 'Veza', scopes: ['scim:read'], expiresInMs: 3_600_000, now });
    expect(record).toMatchObject({ scopes: ['scim:read'], expiresAt: '2026-01-01T01:00:00.000Z' });
  });

  it('refuses to write when the file changed since it was read', async () => {
    const source = await localSource();
    await createToken(source, { tenant: TENANT, label: 'a', now });
    const racing = {
      description: 'racing',
      read: () => source.read(),
      write: async (text: string, version: string | undefined) => {
        await writeFile(source.filePath, (await readFile(source.filePath, 'utf8')) + ' ');
        return source.write(text, version);
      },
    };
    await expect(createToken(racing, { tenant: TENANT, label: 'b', now })).rejects.toBeInstanceOf(ConcurrentModificationError);
  });
});

describe('rotateToken and revokeToken', () => {
  it('keeps the old token valid next to the new one, then revokes the old', async () => {
    // Prepare
    const source = await localSource();
    const first = await createToken(source, { tenant: TENANT, label: 'Okta', scopes: ['scim:read'], now });
    // Act
    const rotated = await rotateToken(source, { tenant: TENANT, replaces: first.record.id, now });
    const before = await listTokens(source, { tenant: TENANT, now });
    await revokeToken(source, { tenant: TENANT, id: first.record.id, now: () => NOW + 1 });
    const after = await listTokens(source, { tenant: TENANT, now: () => NOW + 1 });
    // Assess
    expect(rotated.replaced?.id).toBe(first.record.id);
    expect(rotated.record).toMatchObject({ label: 'Okta', scopes: ['scim:read'] });
    expect(before.map((t) => t.status)).toEqual(['active', 'active']);
    expect(after.map((t) => [t.id, t.status])).toEqual([[first.record.id, 'revoked'], [rotated.record.id, 'active']]);
  });

  it('refuses to revoke the last active token unless forced', async () => {
    const source = await localSource();
    const { record } = await createToken(source, { tenant: TENANT, label: 'only', now });
    await expect(revokeToken(source, { tenant: TENANT, id: record.id, now })).rejects.toBeInstanceOf(LastActiveTokenError);
    await expect(revokeToken(source, { tenant: TENANT, id: record.id, force: true, now })).resolves.toMatchObject({ revokedAt: new Date(NOW).toISOString() });
  });

  it('reports an unknown id', async () => {
    const source = await localSource();
    await expect(revokeToken(source, { tenant: TENANT, id: 'tok_000000000000', now })).rejects.toBeInstanceOf(TokenNotFoundError);
    await expect(rotateToken(source, { tenant: TENANT, replaces: 'tok_000000000000', now })).rejects.toBeInstanceOf(TokenNotFoundError);
  });
});

describe('listTokens', () => {
  it('returns no hash and no token', async () => {
    const source = await localSource();
    const { token, record } = await createToken(source, { tenant: TENANT, label: 'x', now });
    const list = await listTokens(source, { tenant: TENANT, now });
    expect(JSON.stringify(list)).not.toContain(record.sha256);
    expect(JSON.stringify(list)).not.toContain(token);
    expect(list[0]).not.toHaveProperty('sha256');
  });

  it('treats a missing file as no tokens', async () => {
    expect(await listTokens(await localSource(), { tenant: TENANT })).toEqual([]);
  });
});

describe('SecretsManagerSecretSource', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());
  const source = () => new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: 'arn:secret' });

  it('writes the new secret with a ClientRequestToken when the version did not move', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ version: 1, tenant: TENANT, tokens: [] }), VersionId: 'v1' });
    sm.on(PutSecretValueCommand).resolves({});
    const { token, record } = await createToken(source(), { tenant: TENANT, label: 'x', now });
    const put = sm.commandCalls(PutSecretValueCommand)[0].args[0].input;
    expect(put.SecretId).toBe('arn:secret');
    expect(put.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.SecretString).toContain(record.sha256);
    expect(put.SecretString).not.toContain(token);
  });

  it('refuses to write when another writer changed the secret in between', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ version: 1, tenant: TENANT, tokens: [] }), VersionId: 'v1' })
      .resolves({ SecretString: JSON.stringify({ version: 1, tenant: TENANT, tokens: [] }), VersionId: 'v2' });
    await expect(createToken(source(), { tenant: TENANT, label: 'x', now })).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
