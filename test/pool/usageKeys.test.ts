import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { poolUsageKey } from '../../lambdas/contracts/poolLimits';
import { ApiGatewayUsageKeys, UsageKeyQuotaError, UsageKeyThrottledError, usageKeyName } from '../../lambdas/pool/management/usageKeys';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** API Gateway's control plane as far as these calls go (it cannot run locally): canned answers by method and path. */
function controlPlane(answers: Record<string, { status: number; body?: unknown; headers?: Record<string, string> }>) {
  const calls: { method: string; path: string; body?: unknown; authorization?: string }[] = [];
  const fetchStub = (async (url: URL, init: RequestInit) => {
    const key = `${init.method} ${url.pathname}`;
    calls.push({ method: init.method!, path: url.pathname + url.search, body: init.body ? JSON.parse(String(init.body)) : undefined, authorization: (init.headers as Record<string, string>).authorization });
    const a = answers[key] ?? { status: 500 };
    return new Response(JSON.stringify(a.body ?? {}), { status: a.status, headers: a.headers });
  }) as unknown as typeof fetch;
  return { calls, fetchStub };
}

describe('poolUsageKey', () => {
  it('is 20-128 alphanumeric characters and distinct for distinct tenants, as API Gateway requires of key values', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,40}$/), fc.stringMatching(/^[a-z0-9-]{1,40}$/), (a, b) => {
        const ka = poolUsageKey(a);
        expect(ka).toMatch(/^[A-Za-z0-9]{20,128}$/);
        if (a !== b) expect(ka).not.toBe(poolUsageKey(b));
      }),
    );
  });
});

describe('ApiGatewayUsageKeys', () => {
  it('creates the tenant key with the value the authorizer returns and joins it to the plan found by name, signed with SigV4', async () => {
    const { calls, fetchStub } = controlPlane({
      'GET /usageplans': { status: 200, body: { item: [{ id: 'other', name: 'x' }, { id: 'plan1', name: 'scim-pool-main-tenants' }] } },
      'POST /apikeys': { status: 201, body: { id: 'key1' } },
      'POST /usageplans/plan1/keys': { status: 201 },
    });
    const keys = new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'scim-pool-main-tenants', credentials: () => CREDS, fetch: fetchStub });
    await keys.ensure('acme');
    expect(calls.map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual(['POST /apikeys', 'GET /usageplans', 'POST /usageplans/plan1/keys']);
    expect(calls[0].body).toEqual({ name: usageKeyName('acme'), value: poolUsageKey('acme'), enabled: true });
    expect(calls[2].body).toEqual({ keyId: 'key1', keyType: 'API_KEY' });
    expect(calls.every((c) => /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/apigateway\/aws4_request/.test(c.authorization ?? ''))).toBe(true);
  });

  it('reuses the key an interrupted enable left (409) and accepts a key already in the plan', async () => {
    const { calls, fetchStub } = controlPlane({
      'GET /usageplans': { status: 200, body: { item: [{ id: 'plan1', name: 'p' }] } },
      'POST /apikeys': { status: 409 },
      'GET /apikeys': { status: 200, body: { item: [{ id: 'key0', name: usageKeyName('acme') }] } },
      'POST /usageplans/plan1/keys': { status: 409 },
    });
    await new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'p', credentials: () => CREDS, fetch: fetchStub }).ensure('acme');
    expect(calls.at(-1)?.body).toEqual({ keyId: 'key0', keyType: 'API_KEY' });
  });

  it('fails loudly when the plan does not exist, so the enable answers 500 and is retried', async () => {
    const { fetchStub } = controlPlane({ 'GET /usageplans': { status: 200, body: { item: [] } }, 'POST /apikeys': { status: 201, body: { id: 'k' } } });
    await expect(new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'p', credentials: () => CREDS, fetch: fetchStub }).ensure('acme')).rejects.toThrow(/no usage plan named p/);
  });

  it("tells API Gateway's 10,000-keys quota (LimitExceededException) from CreateApiKey's call rate (TooManyRequestsException), both answered 429", async () => {
    const full = controlPlane({ 'POST /apikeys': { status: 429, body: { message: 'API Key limit exceeded' }, headers: { 'x-amzn-ErrorType': 'LimitExceededException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/' } } });
    const busy = controlPlane({ 'POST /apikeys': { status: 429, body: { message: 'Too Many Requests' }, headers: { 'x-amzn-ErrorType': 'TooManyRequestsException:' } } });
    const keys = (f: typeof fetch) => new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'p', credentials: () => CREDS, fetch: f });
    await expect(keys(full.fetchStub).ensure('acme')).rejects.toBeInstanceOf(UsageKeyQuotaError);
    await expect(keys(busy.fetchStub).ensure('acme')).rejects.toBeInstanceOf(UsageKeyThrottledError);
  });

  it('deletes the tenant key by its name, and a key already gone is fine', async () => {
    const { calls, fetchStub } = controlPlane({ 'GET /apikeys': { status: 200, body: { item: [{ id: 'key9', name: usageKeyName('acme') }] } }, 'DELETE /apikeys/key9': { status: 202 } });
    const keys = new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'p', credentials: () => CREDS, fetch: fetchStub });
    await keys.remove('acme');
    expect(calls.map((c) => c.method)).toEqual(['GET', 'DELETE']);
    const none = controlPlane({ 'GET /apikeys': { status: 200, body: { item: [] } } });
    await new ApiGatewayUsageKeys({ region: 'eu-west-1', usagePlanName: 'p', credentials: () => CREDS, fetch: none.fetchStub }).remove('acme');
    expect(none.calls).toHaveLength(1);
  });
});

describe('the management API and the tenant usage keys', () => {
  it('makes the key before answering an enable, again on re-enable, and removes it with the tenant', async () => {
    const { createTestTable } = await import('../support/dynamo');
    const { PoolDirectory } = await import('../../lambdas/store/PoolDirectory');
    const { ScimStore } = await import('../../lambdas/store');
    const { POOL_KEYS } = await import('../../lambdas/store/keys');
    const { createManagementHandler } = await import('../../lambdas/pool/management/createManagementHandler');
    const t = await createTestTable('poolkeys');
    const log: string[] = [];
    const handler = createManagementHandler({
      directory: new PoolDirectory({ doc: t.doc, tableName: t.tableName }),
      publicOrigin: () => 'https://api.example/prod',
      usageKeys: { ensure: async (x) => void log.push(`ensure ${x}`), remove: async (x) => void log.push(`remove ${x}`) },
      storeFor: (x) => new ScimStore({ doc: t.doc, tableName: t.tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(x) }),
      deleteQuietMs: 0,
    });
    const call = (httpMethod: string, path: string, body?: unknown) =>
      handler({ httpMethod, path, body: body === undefined ? null : JSON.stringify(body), isBase64Encoded: false } as never);
    expect((await call('POST', '/manage/tenants', { tenant: 'acme' })).statusCode).toBe(201);
    expect(log).toEqual(['ensure acme']);
    expect((await call('POST', '/manage/tenants/acme/disable')).statusCode).toBe(200);
    expect((await call('POST', '/manage/tenants/acme/enable')).statusCode).toBe(200);
    expect(log).toEqual(['ensure acme', 'ensure acme']);
    let r;
    do r = await call('DELETE', '/manage/tenants/acme');
    while (r.statusCode === 202);
    expect(r.statusCode).toBe(200);
    expect(log.at(-1)).toBe('remove acme');
  });

  it('past the API key quota, enabling answers 409 pool_full and leaves no half-enabled tenant; a throttled key call answers 503 with Retry-After', async () => {
    // Prepare
    const { createTestTable } = await import('../support/dynamo');
    const { PoolDirectory } = await import('../../lambdas/store/PoolDirectory');
    const { createManagementHandler } = await import('../../lambdas/pool/management/createManagementHandler');
    const t = await createTestTable('poolquota');
    const directory = new PoolDirectory({ doc: t.doc, tableName: t.tableName });
    let fault: Error | undefined = new UsageKeyQuotaError('this account and Region hold 10,000 API keys');
    const handler = createManagementHandler({
      directory,
      publicOrigin: () => 'https://api.example/prod',
      usageKeys: {
        ensure: async () => {
          if (fault) throw fault;
        },
        remove: async () => {},
      },
    });
    const call = (httpMethod: string, path: string, body?: unknown) =>
      handler({ httpMethod, path, body: body === undefined ? null : JSON.stringify(body), isBase64Encoded: false } as never);
    // Act
    const full = await call('POST', '/manage/tenants', { tenant: 'late' });
    const afterFull = await directory.getTenant('late');
    fault = new UsageKeyThrottledError('CreateApiKey is limited to 5 calls a second per account');
    const busy = await call('POST', '/manage/tenants', { tenant: 'late' });
    fault = undefined;
    const freed = await call('POST', '/manage/tenants', { tenant: 'late' });
    // Assess
    expect(full.statusCode).toBe(409);
    expect(JSON.parse(full.body)).toMatchObject({ error: 'pool_full' });
    expect(JSON.parse(full.body).detail).toContain('10,000 API keys');
    expect(afterFull).toBeUndefined();
    expect(busy.statusCode).toBe(503);
    expect(busy.headers?.['Retry-After']).toBe('1');
    expect(freed.statusCode).toBe(201);
    expect(JSON.parse(freed.body).token).toMatch(/^scim_late_/);
  });
});
