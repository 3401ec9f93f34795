import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authEvent, issued, secretText, TENANT } from '../auth/fixtures';

const sm = mockClient(SecretsManagerClient);

describe('authorizer handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    vi.restoreAllMocks();
    sm.reset();
  });

  it('reads SECRET_ARN and TENANT and authorizes against that secret', async () => {
    // Prepare
    vi.stubEnv('SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scim-acme');
    vi.stubEnv('TENANT', TENANT);
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { token, record } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    // Act
    const { handler } = await import('../../lambdas/handlers/authorizer');
    const result = await handler(authEvent({ Authorization: `Bearer ${token}` }));
    // Assess
    expect(result.principalId).toBe(record.id);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:scim-acme');
  });

  it('refuses to start without SECRET_ARN or with an invalid TENANT', async () => {
    // The module builds `handler` at import, so import it with a valid env and test the factory.
    vi.stubEnv('SECRET_ARN', 'x');
    vi.stubEnv('TENANT', TENANT);
    const mod = await import('../../lambdas/handlers/authorizer');
    expect(() => mod.createAuthorizerFromEnv({ TENANT })).toThrow(/SECRET_ARN/);
    expect(() => mod.createAuthorizerFromEnv({ SECRET_ARN: 'x', TENANT: 'Bad_Tenant' })).toThrow(/TENANT/);
  });
});
