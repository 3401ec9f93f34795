import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPolicy } from '../../../lambdas/auth/buildPolicy';
import { createAuthorizer } from '../../../lambdas/auth/createAuthorizer';
import { accessTokenClaims, createAccessTokenVerifier, signAccessToken } from '../../../lambdas/auth/oauth/accessToken';
import { CLOCK_SKEW_SECONDS } from '../../../lambdas/auth/oauth/constants';
import { KmsAccessTokenSigner, kmsKeyKid, loadKmsPublicKey } from '../../../lambdas/auth/oauth/KmsAccessTokenSigner';
import type { OAuthClientRecord } from '../../../lambdas/auth/oauth/oauthClient';
import { SecretsManagerSecretSource } from '../../../lambdas/auth/SecretsManagerSecretSource';
import { authEvent, methodArn, NOW, TENANT } from '../fixtures';
import { KEY_ARN, clientWithSecrets, mockKms, secretWithClients } from './fixtures';

describe('createAuthorizer with OAuth access tokens', () => {
  const sm = mockClient(SecretsManagerClient);
  let kms: ReturnType<typeof mockKms>;
  let clock = NOW;
  let client: OAuthClientRecord;
  beforeEach(() => {
    clock = NOW;
    kms = mockKms();
    client = clientWithSecrets(1).record;
    sm.on(GetSecretValueCommand).callsFake(() => ({ SecretString: JSON.stringify(secretWithClients([client])), VersionId: 'v1' }));
  });
  afterEach(() => {
    sm.reset();
    kms.kms.restore();
  });

  function authorizer(federatedClientIds: string[] = []) {
    return createAuthorizer({
      source: new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: 'scim/acme/tokens' }),
      tenant: TENANT,
      cacheTtlMs: 0,
      now: () => clock,
      accessTokens: createAccessTokenVerifier({ tenant: TENANT, kid: kmsKeyKid(KEY_ARN), loadPublicKey: () => loadKmsPublicKey(kms.client, KEY_ARN), now: () => clock }),
      federatedClientIds,
    });
  }

  async function token(overrides: { tenant?: string; scopes?: Array<'scim:read' | 'scim:write'>; method?: 'client_secret' | 'federation'; clientId?: string; lifetime?: number } = {}) {
    const claims = accessTokenClaims(
      {
        tenant: overrides.tenant ?? TENANT,
        clientId: overrides.clientId ?? client.id,
        scopes: overrides.scopes ?? ['scim:read', 'scim:write'],
        method: overrides.method ?? 'client_secret',
        ...((overrides.method ?? 'client_secret') === 'client_secret' ? { secretId: client.secrets[0].id } : {}),
      },
      clock,
      overrides.lifetime ?? 3600,
    );
    return signAccessToken(new KmsAccessTokenSigner(kms.client, KEY_ARN), claims);
  }

  it("allows a valid token with its scopes and the client's label as context and fetches the public key once", async () => {
    // Prepare
    const auth = authorizer();
    const jwt = await token({ scopes: ['scim:read'] });

    // Act
    const results = [await auth(authEvent({ Authorization: `Bearer ${jwt}` })), await auth(authEvent({ Authorization: `Bearer ${jwt}` }))];

    // Assess
    expect(results[0].principalId).toBe(client.id);
    expect(results[0].context).toEqual({ tokenId: client.id, tenant: TENANT, scopes: 'scim:read', tokenLabel: client.label, expiresAt: String(NOW / 1000 + 3600) });
    expect(kms.kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('refuses an expired token, a token for another tenant and a token signed by another key', async () => {
    const auth = authorizer();
    const jwt = await token();
    clock += (3600 + CLOCK_SKEW_SECONDS + 1) * 1000;
    await expect(auth(authEvent({ Authorization: `Bearer ${jwt}` }))).rejects.toThrow('Unauthorized');
    clock = NOW;
    await expect(auth(authEvent({ Authorization: `Bearer ${await token({ tenant: 'other' })}` }))).rejects.toThrow('Unauthorized');
    const foreign = await signAccessToken(
      { kid: kmsKeyKid(KEY_ARN), sign: async () => new Uint8Array(256) },
      accessTokenClaims({ tenant: TENANT, clientId: client.id, scopes: ['scim:write'], method: 'client_secret', secretId: client.secrets[0].id }, clock, 3600),
    );
    await expect(auth(authEvent({ Authorization: `Bearer ${foreign}` }))).rejects.toThrow('Unauthorized');
  });

  it('refuses tokens of a revoked client or a revoked secret, and of a federated client no longer configured', async () => {
    const jwt = await token();
    client = { ...client, secrets: [{ ...client.secrets[0], revokedAt: new Date(NOW - 1).toISOString() }] };
    await expect(authorizer()(authEvent({ Authorization: `Bearer ${jwt}` }))).rejects.toThrow('Unauthorized');
    const fed = await token({ method: 'federation', clientId: 'entra-wif' });
    await expect(authorizer(['entra-wif'])(authEvent({ Authorization: `Bearer ${fed}` }))).resolves.toMatchObject({ principalId: 'entra-wif', context: { tokenLabel: 'entra-wif' } });
    await expect(authorizer([])(authEvent({ Authorization: `Bearer ${fed}` }))).rejects.toThrow('Unauthorized');
  });

  it('refuses every JWT when OAuth is disabled, and keeps read-only policies for read-only tokens', async () => {
    const jwt = await token({ scopes: ['scim:read'] });
    const disabled = createAuthorizer({
      source: new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: 'x' }),
      tenant: TENANT,
    });
    await expect(disabled(authEvent({ Authorization: `Bearer ${jwt}` }))).rejects.toThrow('Unauthorized');
    const allowed = await authorizer()(authEvent({ Authorization: `Bearer ${jwt}` }, { methodArn: methodArn('POST', 'scim/v2/Users') }));
    expect(allowed.policyDocument).toEqual(buildPolicy('arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod', ['scim:read']));
  });
});
