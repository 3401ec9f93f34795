import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../bin/tokenCli/parseDuration';
import { parseTokenArgs } from '../../bin/tokenCli/parseTokenArgs';
import { runTokenCli } from '../../bin/tokenCli/runTokenCli';
import { UsageError } from '../../bin/tokenCli/UsageError';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const cf = new CloudFormationClient({ region: 'eu-west-1' });
  const sm = new SecretsManagerClient({ region: 'eu-west-1' });
  return { out, err, deps: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), cloudFormation: () => cf, secretsManager: () => sm } };
}

describe('parseTokenArgs', () => {
  it('parses a full create command line', () => {
    expect(parseTokenArgs(['create', '--tenant', 'acme', '--label', 'Entra prod', '--expires-in', '90d', '--scope', 'read'])).toEqual({
      command: 'create',
      tenant: 'acme',
      location: { kind: 'stack' },
      label: 'Entra prod',
      expiresInMs: 90 * 86_400_000,
      scopes: ['scim:read'],
      force: false,
    });
  });

  it('picks the secret location from --secret-arn or --local', () => {
    expect(parseTokenArgs(['list', '--tenant', 'acme', '--secret-arn', 'arn:x']).location).toEqual({ kind: 'arn', secretArn: 'arn:x' });
    expect(parseTokenArgs(['list', '--tenant', 'acme', '--local', '.local']).location).toEqual({ kind: 'local', dataDir: '.local' });
  });

  it.each([
    [[], /one command/],
    [['create'], /--tenant is required/],
    [['destroy', '--tenant', 'acme'], /unknown command/],
    [['create', '--tenant', 'Acme_1'], /not a tenant name/],
    [['create', '--tenant', 'acme', '--bogus'], /Unknown option/],
    [['create', '--tenant', 'acme', '--scope', 'admin'], /--scope/],
    [['create', '--tenant', 'acme', '--expires-in', '90 days'], /--expires-in/],
    [['revoke', '--tenant', 'acme'], /needs --id/],
    [['revoke', '--tenant', 'acme', '--id', 'abc'], /not a token id/],
    [['list', '--tenant', 'acme', '--label', 'x'], /create and rotate only/],
    [['list', '--tenant', 'acme', '--secret-arn', 'a', '--local', 'b'], /exclusive/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(UsageError);
    expect(() => parseTokenArgs(argv)).toThrow(message);
  });
});

describe('parseDuration', () => {
  it('understands minutes to years and rejects zero', () => {
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(() => parseDuration('0d')).toThrow(UsageError);
  });
});

describe('runTokenCli', () => {
  const cfMock = mockClient(CloudFormationClient);
  const smMock = mockClient(SecretsManagerClient);
  beforeEach(() => {
    cfMock.reset();
    smMock.reset();
  });

  it('exits 2 with a message and no stack trace on bad arguments', async () => {
    const { err, deps } = capture();
    expect(await runTokenCli(['create', '--tenant', 'acme', '--scope', 'nope'], deps)).toBe(2);
    expect(err.join('')).toMatch(/^error: --scope/);
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });

  it('creates a token from the stack outputs, printing it once with the base URL', async () => {
    // Prepare
    cfMock.on(DescribeStacksCommand, { StackName: 'Scim-acme' }).resolves({
      Stacks: [{ StackName: 'Scim-acme', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [
        { OutputKey: 'SecretArn', OutputValue: 'arn:aws:secretsmanager:eu-west-1:1:secret:scim-acme' },
        { OutputKey: 'ScimBaseUrl', OutputValue: 'https://api.example/prod/scim/v2' },
      ] }],
    });
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ version: 1, tenant: 'acme', tokens: [] }), VersionId: 'v1' });
    smMock.on(PutSecretValueCommand).resolves({});
    const { out, deps } = capture();
    // Act
    const code = await runTokenCli(['create', '--tenant', 'acme', '--label', 'Entra'], deps);
    // Assess
    expect(code).toBe(0);
    const text = out.join('');
    const token = /Secret token:\s+(scim_acme_\S+)/.exec(text)?.[1];
    expect(token).toMatch(/^scim_acme_[A-Za-z0-9_-]{43}$/);
    expect(text.split(token!)).toHaveLength(2);
    expect(text).toContain('https://api.example/prod/scim/v2');
    const put = smMock.commandCalls(PutSecretValueCommand)[0].args[0].input;
    expect(put.SecretId).toBe('arn:aws:secretsmanager:eu-west-1:1:secret:scim-acme');
    expect(put.SecretString).not.toContain(token);
  });

  it('exits 1 with a clear message when the stack cannot be read', async () => {
    cfMock.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id Scim-acme does not exist'), { name: 'ValidationError' }));
    const { err, deps } = capture();
    expect(await runTokenCli(['list', '--tenant', 'acme'], deps)).toBe(1);
    expect(err.join('')).toMatch(/cannot read stack Scim-acme.*--secret-arn/);
  });

  it('lists ids, labels, scopes, dates and status but never hashes or tokens (local file)', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'scim-cli-'));
    const { out, deps } = capture();
    await runTokenCli(['create', '--tenant', 'acme', '--local', dataDir, '--label', 'Okta', '--scope', 'read'], deps);
    const token = /Secret token:\s+(\S+)/.exec(out.join(''))![1];
    const secret = JSON.parse(await readFile(join(dataDir, 'tokens.json'), 'utf8')) as { tokens: { id: string; sha256: string }[] };
    out.length = 0;
    // Act
    expect(await runTokenCli(['list', '--tenant', 'acme', '--local', dataDir], deps)).toBe(0);
    // Assess
    const listing = out.join('');
    expect(listing).toContain(secret.tokens[0].id);
    expect(listing).toMatch(/active\s+scim:read\s/);
    expect(listing).toContain('Okta');
    expect(listing).not.toContain(secret.tokens[0].sha256);
    expect(listing).not.toContain(token);
  });

  it('rotates and revokes locally, refusing to revoke the last active token without --force', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'scim-cli-'));
    const { out, err, deps } = capture();
    await runTokenCli(['create', '--tenant', 'acme', '--local', dataDir], deps);
    const oldId = /Created token (tok_[0-9a-f]{12})/.exec(out.join(''))![1];
    expect(await runTokenCli(['revoke', '--tenant', 'acme', '--local', dataDir, '--id', oldId], deps)).toBe(1);
    expect(err.join('')).toMatch(/last active token/);
    out.length = 0;
    expect(await runTokenCli(['rotate', '--tenant', 'acme', '--local', dataDir, '--id', oldId], deps)).toBe(0);
    expect(out.join('')).toContain(`revoke --tenant acme --id ${oldId} --local ${dataDir}`);
    expect(await runTokenCli(['revoke', '--tenant', 'acme', '--local', dataDir, '--id', oldId], deps)).toBe(0);
  });
});
