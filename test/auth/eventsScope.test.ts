import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPolicy } from '../../lambdas/auth/buildPolicy';
import { evaluatePolicy } from '../../lambdas/auth/evaluatePolicy';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import { requireScope } from '../../lambdas/auth/requireScope';
import { createToken } from '../../lambdas/auth/tokenStore';
import { parseScopes } from '../../bin/tokenCli/parseTokenArgs';
import { TENANT } from './fixtures';

const STAGE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';
const arn = (method: string, path: string) => `${STAGE}/${method}/${path}`;

describe('the events:read scope', () => {
  it('lets an events token GET /events and nothing under /scim/v2', () => {
    // Prepare
    const policy = buildPolicy(STAGE, ['events:read']);
    // Assess
    expect(evaluatePolicy(policy, arn('GET', 'events'))).toBe(true);
    expect(evaluatePolicy(policy, arn('POST', 'events'))).toBe(false);
    expect(evaluatePolicy(policy, arn('GET', 'scim/v2/Users'))).toBe(false);
    expect(evaluatePolicy(policy, arn('POST', 'scim/v2/Users'))).toBe(false);
  });

  it.each([[['scim:read'] as const], [['scim:write'] as const], [['scim:read', 'scim:write'] as const]])('keeps a SCIM token (%j) away from GET /events', (scopes) => {
    expect(evaluatePolicy(buildPolicy(STAGE, [...scopes]), arn('GET', 'events'))).toBe(false);
  });

  it('is the scope handlers require for /events, and not enough for SCIM reads', () => {
    expect(() => requireScope('events:read', 'GET', '/events')).not.toThrow();
    expect(() => requireScope('scim:read scim:write', 'GET', '/events')).toThrow(/events:read/);
    expect(() => requireScope('events:read', 'GET', '/scim/v2/Users')).toThrow(/scim:read/);
  });

  it('is never issued together with a SCIM scope, by the store or the CLI', async () => {
    const source = LocalFileSecretSource.inDataDir(await mkdtemp(join(tmpdir(), 'scim-tokens-')));
    await expect(createToken(source, { tenant: TENANT, label: 'app', scopes: ['events:read', 'scim:read'] })).rejects.toThrow(/separate token/);
    expect((await createToken(source, { tenant: TENANT, label: 'app', scopes: ['events:read'] })).record.scopes).toEqual(['events:read']);
    expect(parseScopes('events')).toEqual(['events:read']);
    expect(() => parseScopes('events,read')).toThrow(/cannot be combined/);
  });
});
