import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { parseClientArgs } from '../../bin/tokenCli/parseClientArgs';
import { runTokenCli } from '../../bin/tokenCli/runTokenCli';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { listClients } from '../../lambdas/auth/oauth/clientStore';
import { CLIENT_SECRET_PATTERN, MAX_ACTIVE_SECRETS } from '../../lambdas/auth/oauth/oauthClient';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const cf = new CloudFormationClient({ region: 'eu-west-1' });
  const sm = new SecretsManagerClient({ region: 'eu-west-1' });
  return { out, err, deps: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), cloudFormation: () => cf, secretsManager: () => sm } };
}

const field = (text: string, name: string) => new RegExp(`${name}:\\s+(\\S+)`).exec(text)?.[1];

describe('npm run token -- client', () => {
  it.each([
    [['create'], /--tenant is required/],
    [['rename', '--tenant', 'acme'], /unknown client command/],
    [['add-secret', '--tenant', 'acme'], /needs --client-id/],
    [['revoke-secret', '--tenant', 'acme', '--client-id', 'cli_0123456789abcdef'], /needs --secret-id/],
    [['revoke', '--tenant', 'acme', '--client-id', 'tok_1'], /not a client id/],
    [['list', '--tenant', 'acme', '--scope', 'read'], /create only/],
    [['create', '--tenant', 'acme', '--force'], /revoke-secret only/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseClientArgs(argv)).toThrow(message);
  });

  it('creates, rotates, revokes and lists clients in a local data dir without printing hashes', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'scim-client-cli-'));
    const run = async (...argv: string[]) => {
      const c = capture();
      const code = await runTokenCli(['client', ...argv, '--tenant', 'local', '--local', dir], c.deps);
      return { code, out: c.out.join(''), err: c.err.join('') };
    };

    // Act: create a client and add a second secret
    const created = await run('create', '--label', 'Entra gallery', '--scope', 'read');
    const clientId = field(created.out, 'Client ID')!;
    const firstSecretId = field(created.out, 'Secret id')!;
    const added = await run('add-secret', '--client-id', clientId, '--expires-in', '90d');

    // Assess
    expect(created.code).toBe(0);
    expect(field(created.out, 'Client secret')).toMatch(CLIENT_SECRET_PATTERN);
    expect(added.code).toBe(0);
    expect(field(added.out, 'Client secret')).toMatch(CLIENT_SECRET_PATTERN);
    const [summary] = await listClients(LocalFileSecretSource.inDataDir(dir), { tenant: 'local' });
    expect(summary).toMatchObject({ id: clientId, label: 'Entra gallery', scopes: ['scim:read'], status: 'active' });
    expect(summary.secrets.map((s) => s.status)).toEqual(['active', 'active']);

    // Act: revoke the first secret, refuse the last one, then revoke the client
    expect((await run('revoke-secret', '--client-id', clientId, '--secret-id', firstSecretId)).code).toBe(0);
    const last = await run('revoke-secret', '--client-id', clientId, '--secret-id', summary.secrets[1].id);
    expect([last.code, last.err]).toEqual([1, expect.stringMatching(/last active secret/)]);
    expect((await run('revoke', '--client-id', clientId)).code).toBe(0);
    const listed = await run('list');
    expect(listed.out).toContain(`${clientId}  revoked`);
    expect(listed.out).not.toMatch(/[0-9a-f]{64}|scimcs_/);
  });

  it(`refuses more than ${MAX_ACTIVE_SECRETS} active secrets per client`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scim-client-cli-'));
    const c = capture();
    await runTokenCli(['client', 'create', '--tenant', 'local', '--local', dir], c.deps);
    const clientId = field(c.out.join(''), 'Client ID')!;
    const codes: number[] = [];
    for (let i = 0; i < MAX_ACTIVE_SECRETS; i++) codes.push(await runTokenCli(['client', 'add-secret', '--tenant', 'local', '--local', dir, '--client-id', clientId], capture().deps));
    expect(codes).toEqual([...Array(MAX_ACTIVE_SECRETS - 1).fill(0), 1]);
  });

  it('finds the deployed secret and token endpoint from the stack outputs', async () => {
    const cf = mockClient(CloudFormationClient);
    const sm = mockClient(SecretsManagerClient);
    cf.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Scim-acme', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [
        { OutputKey: 'SecretArn', OutputValue: 'arn:aws:secretsmanager:eu-west-1:1:secret:scim/acme/tokens' },
        { OutputKey: 'TokenEndpointUrl', OutputValue: 'https://api.example.com/prod/oauth2/token' },
      ] }],
    });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ version: 1, tenant: 'acme', tokens: [] }), VersionId: 'v1' });
    sm.on(PutSecretValueCommand).resolves({});
    const c = capture();
    expect(await runTokenCli(['client', 'create', '--tenant', 'acme'], c.deps)).toBe(0);
    expect(c.out.join('')).toContain('Token endpoint: https://api.example.com/prod/oauth2/token');
    const written = JSON.parse(sm.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretString!);
    expect(written.clients).toHaveLength(1);
    expect(JSON.stringify(written)).not.toContain('scimcs_');
    cf.restore();
    sm.restore();
  });
});
