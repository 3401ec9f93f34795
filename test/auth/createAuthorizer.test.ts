import { timingSafeEqual } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetSecretValueCommand,
  SecretsManagerClient,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthorizer, type AuthorizerMetrics, type CreateAuthorizerOptions } from '../../lambdas/auth/createAuthorizer';
import { evaluatePolicy } from '../../lambdas/auth/evaluatePolicy';
import { SecretsManagerSecretSource } from '../../lambdas/auth/SecretsManagerSecretSource';
import { METRIC } from '../../lambdas/contracts/metricNames';
import { authEvent, issued, methodArn, NOW, secretText, TENANT } from './fixtures';

const sm = mockClient(SecretsManagerClient);

/** Records metric calls like Powertools would emit them. */
function fakeMetrics(): AuthorizerMetrics & { names: string[]; metadata: Record<string, string>[]; published: number } {
  const m = {
    names: [] as string[],
    metadata: [] as Record<string, string>[],
    published: 0,
    addMetric: (name: string) => { m.names.push(name); },
    addMetadata: (key: string, value: string) => { m.metadata.push({ [key]: value }); },
    publishStoredMetrics: () => { m.published++; },
  };
  return m as unknown as ReturnType<typeof fakeMetrics>;
}

function setup(options: Partial<CreateAuthorizerOptions> = {}) {
  let clock = NOW;
  const metrics = fakeMetrics();
  const authorizer = createAuthorizer({
    source: new SecretsManagerSecretSource({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: 'arn:secret' }),
    tenant: TENANT,
    cacheTtlMs: 60_000,
    errorCacheTtlMs: 1_000,
    metrics,
    now: () => clock,
    ...options,
  });
  return { authorizer, metrics, advance: (ms: number) => { clock += ms; } };
}

function bearer(token: string) {
  return authEvent({ Authorization: `Bearer ${token}` });
}

beforeEach(() => sm.reset());

describe('createAuthorizer', () => {
  it('allows a valid token with a policy over all the stage SCIM routes and the token id and label in the context', async () => {
    // Prepare
    const { token, record } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]), VersionId: 'v1' });
    const { authorizer, metrics } = setup();
    // Act
    const result = await authorizer(bearer(token));
    // Assess
    expect(result.principalId).toBe(record.id);
    expect(result.context).toEqual({ tokenId: record.id, tenant: TENANT, scopes: 'scim:read scim:write', tokenLabel: record.label });
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/*/scim/v2/*'] },
    ]);
    expect(evaluatePolicy(result.policyDocument, methodArn('DELETE', 'scim/v2/Groups/123'))).toBe(true);
    expect(metrics.names).toEqual([METRIC.authorizerAllow]);
    expect(metrics.published).toBe(1);
  });

  it('denies an unknown token with Unauthorized (401) and counts AuthorizerDeny with its reason', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([issued().record]) });
    const { authorizer, metrics } = setup();
    await expect(authorizer(bearer(issued().token))).rejects.toThrow(/^Unauthorized$/);
    expect(metrics.names).toEqual([METRIC.authorizerDeny]);
    expect(metrics.metadata).toEqual([{ reason: 'unknownToken' }]);
  });

  it.each([
    ['a mistyped token', 'scim_acme_not-a-real-token'],
    ['a malformed header', 'Basic abc'],
    ['no token at all', ''],
  ])('raises no failure metric for %s: a denial is the authorizer working, not failing', async (_name, header) => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([issued().record]) });
    const { authorizer, metrics } = setup();
    // Act
    await expect(authorizer(authEvent(header ? { Authorization: header.startsWith('Basic') ? header : `Bearer ${header}` } : {}))).rejects.toThrow(/^Unauthorized$/);
    // Assess
    expect(metrics.names).toEqual([METRIC.authorizerDeny]);
    expect(metrics.names).not.toContain(METRIC.authorizerFailures);
  });

  it('counts AuthorizerFailures and rethrows (500) when it fails for a reason of its own', async () => {
    // Prepare: the constant-time comparison throws (standing in for any bug in the authorizer).
    const { token, record } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    const { authorizer, metrics } = setup({ equal: () => { throw new TypeError('comparison crashed'); } });
    // Act
    await expect(authorizer(bearer(token))).rejects.toThrow('comparison crashed');
    // Assess
    expect(metrics.names).toEqual([METRIC.authorizerFailures]);
    expect(metrics.published).toBe(1);
  });

  it('denies an expired token', async () => {
    const { token, record } = issued({ expiresAt: new Date(NOW - 1).toISOString() });
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    const { authorizer, metrics } = setup();
    await expect(authorizer(bearer(token))).rejects.toThrow('Unauthorized');
    expect(metrics.metadata).toEqual([{ reason: 'expired' }]);
  });

  it('allows a token until its expiry', async () => {
    const { token, record } = issued({ expiresAt: new Date(NOW + 1).toISOString() });
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    await expect(setup().authorizer(bearer(token))).resolves.toMatchObject({ principalId: record.id });
  });

  it('denies a revoked token', async () => {
    const { token, record } = issued({ revokedAt: new Date(NOW - 1000).toISOString() });
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    const { authorizer, metrics } = setup();
    await expect(authorizer(bearer(token))).rejects.toThrow('Unauthorized');
    expect(metrics.metadata).toEqual([{ reason: 'revoked' }]);
  });

  it('allows both the old and the new token during a rotation overlap, each with its own id', async () => {
    const old = issued({ label: 'old' });
    const next = issued({ label: 'new' });
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([old.record, next.record]) });
    const { authorizer } = setup();
    expect((await authorizer(bearer(old.token))).principalId).toBe(old.record.id);
    expect((await authorizer(bearer(next.token))).principalId).toBe(next.record.id);
  });

  it('denies a token of another tenant without reading the secret', async () => {
    const { authorizer, metrics } = setup();
    await expect(authorizer(bearer('scim_other_' + 'A'.repeat(43)))).rejects.toThrow('Unauthorized');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(metrics.metadata).toEqual([{ reason: 'wrongTenant' }]);
  });

  it.each([
    ['not JSON', '{oops'],
    ['wrong version', JSON.stringify({ version: 2, tenant: TENANT, tokens: [] })],
    ['another tenant', secretText([], 'other')],
    ['a record without hash', JSON.stringify({ version: 1, tenant: TENANT, tokens: [{ id: 'tok_000000000000', createdAt: new Date(NOW).toISOString(), label: 'x', scopes: ['scim:read'] }] })],
    ['a generated password instead of JSON', 'x8#kP!2q'],
  ])('denies every request when the secret is malformed (%s), logs an error and counts AuthorizerSecretErrors', async (_name, text) => {
    const { token } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: text });
    const error = vi.fn();
    const { authorizer, metrics } = setup({ logger: { info: vi.fn(), warn: vi.fn(), error } });
    await expect(authorizer(bearer(token))).rejects.toThrow('Unauthorized');
    expect(metrics.names).toEqual([METRIC.authorizerSecretErrors, METRIC.authorizerFailures, METRIC.authorizerDeny]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/token secret unusable/), expect.objectContaining({ errorName: 'SecretMalformedError' }));
  });

  it('fails closed when Secrets Manager throttles or is unavailable, and recovers once the error cache expires', async () => {
    // Prepare
    const { token, record } = issued();
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new SecretsManagerServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' }))
      .resolves({ SecretString: secretText([record]) });
    const { authorizer, metrics, advance } = setup();
    // Act + Assess: denied while failing, the failure cached only briefly
    await expect(authorizer(bearer(token))).rejects.toThrow('Unauthorized');
    await expect(authorizer(bearer(token))).rejects.toThrow('Unauthorized');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(metrics.names.filter((n) => n === METRIC.authorizerSecretErrors)).toHaveLength(2);
    advance(1_000);
    await expect(authorizer(bearer(token))).resolves.toMatchObject({ principalId: record.id });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails closed when the secret does not exist', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ $metadata: {}, message: 'nope' }));
    const { authorizer, metrics } = setup();
    await expect(authorizer(bearer(issued().token))).rejects.toThrow('Unauthorized');
    expect(metrics.names).toContain(METRIC.authorizerSecretErrors);
  });

  it('reads the secret once per TTL: within it from the cache, after it from Secrets Manager again', async () => {
    const old = issued();
    const next = issued();
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: secretText([old.record]) })
      .resolves({ SecretString: secretText([{ ...old.record, revokedAt: new Date(NOW).toISOString() }, next.record]) });
    const { authorizer, advance } = setup();
    await authorizer(bearer(old.token));
    advance(59_999);
    await authorizer(bearer(old.token));
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    advance(1);
    await expect(authorizer(bearer(old.token))).rejects.toThrow('Unauthorized');
    await expect(authorizer(bearer(next.token))).resolves.toMatchObject({ principalId: next.record.id });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['lowercase bearer', { authorization: `bearer TOKEN` }, true],
    ['extra spaces', { Authorization: `Bearer    TOKEN  ` }, true],
    ['two tokens', { Authorization: `Bearer TOKEN TOKEN` }, false],
    ['empty header', { Authorization: '' }, false],
    ['Basic scheme', { Authorization: 'Basic dXNlcjpwYXNz' }, false],
    ['no header', {}, false],
  ])('header edge case: %s', async (_name, headers, allowed) => {
    const { token, record } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    const event = authEvent(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replaceAll('TOKEN', token)])));
    const outcome = setup().authorizer(event);
    if (allowed) await expect(outcome).resolves.toMatchObject({ principalId: record.id });
    else await expect(outcome).rejects.toThrow('Unauthorized');
  });

  it('ignores a token in the query string', async () => {
    const { token, record } = issued();
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
    const event = authEvent({}, { queryStringParameters: { access_token: token }, multiValueQueryStringParameters: { access_token: [token] } });
    await expect(setup().authorizer(event)).rejects.toThrow('Unauthorized');
  });

  it('compares in constant time against every record, even after a match', async () => {
    // Prepare: the matching record first, so a short-circuit would show
    const records = [issued(), issued(), issued({ revokedAt: new Date(NOW - 1).toISOString() }), issued()];
    sm.on(GetSecretValueCommand).resolves({ SecretString: secretText(records.map((r) => r.record)) });
    const equal = vi.fn(timingSafeEqual);
    const { authorizer } = setup({ equal });
    // Act
    await authorizer(bearer(records[0].token));
    // Assess
    expect(equal).toHaveBeenCalledTimes(records.length);
    for (const [a, b] of equal.mock.calls) expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
  });

  describe('scopes', () => {
    async function policyFor(scopes: ('scim:read' | 'scim:write')[]): Promise<APIGatewayAuthorizerResult> {
      const { token, record } = issued({ scopes });
      sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([record]) });
      return setup().authorizer(bearer(token));
    }

    it('lets a read-only token GET and POST .search but not write', async () => {
      const result = await policyFor(['scim:read']);
      const allowed = (m: string, p: string) => evaluatePolicy(result.policyDocument, methodArn(m, p));
      expect(result.context?.scopes).toBe('scim:read');
      expect(allowed('GET', 'scim/v2/Users')).toBe(true);
      expect(allowed('GET', 'scim/v2/Groups/abc')).toBe(true);
      expect(allowed('POST', 'scim/v2/Users/.search')).toBe(true);
      expect(allowed('POST', 'scim/v2/.search')).toBe(true);
      expect(allowed('POST', 'scim/v2/Users')).toBe(false);
      expect(allowed('PATCH', 'scim/v2/Users/abc')).toBe(false);
      expect(allowed('DELETE', 'scim/v2/Users/abc')).toBe(false);
      expect(allowed('POST', 'scim/v2/Bulk')).toBe(false);
    });

    it('lets a write-only token write but not read', async () => {
      const result = await policyFor(['scim:write']);
      const allowed = (m: string, p: string) => evaluatePolicy(result.policyDocument, methodArn(m, p));
      expect(allowed('POST', 'scim/v2/Users')).toBe(true);
      expect(allowed('GET', 'scim/v2/Users')).toBe(false);
      expect(allowed('POST', 'scim/v2/Users/.search')).toBe(false);
    });

    it('never allows routes outside the SCIM prefix or other stages', async () => {
      const result = await policyFor(['scim:read', 'scim:write']);
      expect(evaluatePolicy(result.policyDocument, methodArn('GET', 'admin'))).toBe(false);
      expect(evaluatePolicy(result.policyDocument, 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/dev/GET/scim/v2/Users')).toBe(false);
    });
  });

  describe('logging', () => {
    let lines: string[];
    afterEach(() => vi.restoreAllMocks());
    beforeEach(() => {
      lines = [];
      const capture = (chunk: unknown) => { lines.push(String(chunk)); return true; };
      vi.spyOn(process.stdout, 'write').mockImplementation(capture);
      vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    });

    it('logs token ids but never a token or its hash, whatever the outcome', async () => {
      // Prepare
      const good = issued();
      const revoked = issued({ revokedAt: new Date(NOW - 1).toISOString() });
      const unknown = issued();
      sm.on(GetSecretValueCommand).resolves({ SecretString: secretText([good.record, revoked.record]) });
      const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
      const { authorizer } = setup({ logger });
      // Act
      await authorizer(bearer(good.token));
      for (const t of [revoked.token, unknown.token, `${good.token} ${good.token}`]) await authorizer(bearer(t)).catch(() => undefined);
      sm.on(GetSecretValueCommand).resolves({ SecretString: '{bad' });
      await setup({ logger }).authorizer(bearer(good.token)).catch(() => undefined);
      // Assess
      const all = lines.join('\n');
      expect(all).toContain(good.record.id);
      expect(all).toContain('token secret unusable');
      for (const { token, record } of [good, revoked, unknown]) {
        expect(all).not.toContain(token);
        expect(all).not.toContain(token.slice(-43));
        expect(all).not.toContain(record.sha256);
      }
    });
  });
});
