import { jwtVerify } from 'jose';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenEndpoint, type TokenEndpointRequest } from '../../../lambdas/auth/oauth/createTokenEndpoint';
import { KmsAccessTokenSigner } from '../../../lambdas/auth/oauth/KmsAccessTokenSigner';
import { MAX_TOKEN_REQUEST_BYTES, JWT_BEARER_ASSERTION_TYPE } from '../../../lambdas/auth/oauth/constants';
import { OAuthConfigSchema } from '../../../lambdas/auth/oauth/oauthConfig';
import { NOW, TENANT } from '../fixtures';
import { KEY_ARN, clientWithSecrets, mockKms, secretWithClients } from './fixtures';

const FORM = 'application/x-www-form-urlencoded';

function request(body: string, headers: Record<string, string> = { 'Content-Type': FORM }, httpMethod = 'POST'): TokenEndpointRequest {
  return { httpMethod, headers, multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), body, requestContext: { identity: { sourceIp: '192.0.2.1' } } };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('createTokenEndpoint', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  function setUp(options: { readSecret?: () => Promise<ReturnType<typeof secretWithClients>>; config?: object } = {}) {
    const { kms, client, publicKey } = mockKms();
    restore = () => kms.restore();
    const { record, secrets } = clientWithSecrets(2);
    const endpoint = createTokenEndpoint({
      tenant: TENANT,
      config: OAuthConfigSchema.parse({ enabled: true, ...options.config }),
      readSecret: options.readSecret ?? (async () => secretWithClients([record])),
      signer: new KmsAccessTokenSigner(client, KEY_ARN),
      now: () => NOW,
    });
    return { endpoint, record, secrets, publicKey, kms };
  }

  it('issues a KMS-signed RS256 access token naming the tenant, the client and the secret used', async () => {
    // Prepare
    const { endpoint, record, secrets, publicKey } = setUp({ config: { accessTokenMinutes: 120 } });

    // Act
    const res = await endpoint(request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: basic(record.id, secrets[1]) }));

    // Assess
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 7200, scope: 'scim:read scim:write' });
    const { payload, protectedHeader } = await jwtVerify(body.access_token, publicKey, { currentDate: new Date(NOW) });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      aud: `urn:serverless-scim:tenant:${TENANT}`,
      tenant: TENANT,
      client_id: record.id,
      sub: record.id,
      secret_id: record.secrets[1].id,
      exp: NOW / 1000 + 7200,
    });
  });

  const cases: Array<[string, TokenEndpointRequest, number, string]> = [
    ['a GET', request('', {}, 'GET'), 405, 'invalid_request'],
    ['a JSON body', request('{"grant_type":"client_credentials"}', { 'Content-Type': 'application/json' }), 400, 'invalid_request'],
    ['no Content-Type', request('grant_type=client_credentials', {}), 400, 'invalid_request'],
    ['no grant_type', request('client_id=a&client_secret=b'), 400, 'invalid_request'],
    ['grant_type=password', request('grant_type=password&username=a&password=b'), 400, 'unsupported_grant_type'],
    ['grant_type twice', request('grant_type=client_credentials&grant_type=client_credentials'), 400, 'invalid_request'],
    ['no client authentication', request('grant_type=client_credentials'), 401, 'invalid_client'],
    ['client_secret without client_id', request('grant_type=client_credentials&client_secret=x'), 400, 'invalid_request'],
    ['Basic and client_secret at once', request('grant_type=client_credentials&client_id=cli_0123456789abcdef&client_secret=x', { 'Content-Type': FORM, Authorization: basic('cli_0123456789abcdef', 'x') }), 400, 'invalid_request'],
    ['a malformed Basic header', request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: 'Basic !!!' }), 401, 'invalid_client'],
    ['a Bearer header instead of Basic', request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: 'Bearer abc' }), 401, 'invalid_client'],
    ['an unknown client', request('grant_type=client_credentials&client_id=cli_ffffffffffffffff&client_secret=x'), 401, 'invalid_client'],
    ['a wrong secret', request('grant_type=client_credentials&client_id=cli_0123456789abcdef&client_secret=scimcs_acme_wrong'), 401, 'invalid_client'],
    ['an assertion when no federation is configured', request(`grant_type=client_credentials&client_assertion_type=${encodeURIComponent(JWT_BEARER_ASSERTION_TYPE)}&client_assertion=a.b.c`), 401, 'invalid_client'],
    ['an assertion without its type', request('grant_type=client_credentials&client_assertion=a.b.c'), 400, 'invalid_request'],
    ['an oversized body', request(`grant_type=client_credentials&pad=${'x'.repeat(MAX_TOKEN_REQUEST_BYTES)}`), 400, 'invalid_request'],
    ['broken percent-encoding', request('grant_type=client_credentials&client_id=%E0%A4%A'), 400, 'invalid_request'],
  ];

  it.each(cases)('answers %s with the RFC 6749 §5.2 error', async (_name, req, status, error) => {
    const { endpoint } = setUp();
    const res = await endpoint(req);
    expect(res.statusCode).toBe(status);
    expect(JSON.parse(res.body).error).toBe(error);
    expect(res.headers?.['Cache-Control']).toBe('no-store');
    if (status === 401) expect(res.headers?.['WWW-Authenticate']).toMatch(/^Basic realm=/);
    if (status === 405) expect(res.headers?.Allow).toBe('POST');
  });

  it('refuses a scope the client does not hold and unknown scopes as invalid_scope', async () => {
    const { record: readOnly, secrets } = clientWithSecrets(1, { scopes: ['scim:read'] });
    const { endpoint } = setUp({ readSecret: async () => secretWithClients([readOnly]) });
    const auth = { 'Content-Type': FORM, Authorization: basic(readOnly.id, secrets[0]) };
    expect(JSON.parse((await endpoint(request('grant_type=client_credentials&scope=scim:write', auth))).body).error).toBe('invalid_scope');
    expect(JSON.parse((await endpoint(request('grant_type=client_credentials&scope=openid', auth))).body).error).toBe('invalid_scope');
    expect(JSON.parse((await endpoint(request('grant_type=client_credentials&scope=scim:read', auth))).body).scope).toBe('scim:read');
  });

  it('refuses a revoked secret and a revoked client', async () => {
    const { record, secrets } = clientWithSecrets(2);
    const revokedSecret = { ...record, secrets: [{ ...record.secrets[0], revokedAt: new Date(NOW - 1).toISOString() }, record.secrets[1]] };
    const { endpoint } = setUp({ readSecret: async () => secretWithClients([revokedSecret]) });
    expect((await endpoint(request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: basic(record.id, secrets[0]) }))).statusCode).toBe(401);
    expect((await endpoint(request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: basic(record.id, secrets[1]) }))).statusCode).toBe(200);
    const revokedClient = { ...record, revokedAt: new Date(NOW - 1).toISOString() };
    const second = setUp({ readSecret: async () => secretWithClients([revokedClient]) });
    expect((await second.endpoint(request('grant_type=client_credentials', { 'Content-Type': FORM, Authorization: basic(record.id, secrets[1]) }))).statusCode).toBe(401);
  });

  it('answers 503 with Retry-After, not 500, when the secret or KMS fails', async () => {
    const { record, secrets } = clientWithSecrets(1);
    const auth = { 'Content-Type': FORM, Authorization: basic(record.id, secrets[0]) };
    const noSecret = setUp({ readSecret: async () => Promise.reject(new Error('ThrottlingException')) });
    const a = await noSecret.endpoint(request('grant_type=client_credentials', auth));
    expect([a.statusCode, JSON.parse(a.body).error, a.headers?.['Retry-After']]).toEqual([503, 'temporarily_unavailable', '1']);
    const noKms = setUp({ readSecret: async () => secretWithClients([record]) });
    noKms.kms.rejects(new Error('KMSInternalException'));
    const b = await noKms.endpoint(request('grant_type=client_credentials', auth));
    expect([b.statusCode, JSON.parse(b.body).error]).toEqual([503, 'temporarily_unavailable']);
  });

  it('never answers 5xx nor anything but an RFC 6749 JSON body to arbitrary requests', async () => {
    const { endpoint, record, secrets } = setUp();
    const param = fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'client_assertion', 'client_assertion_type', 'x');
    const value = fc.oneof(
      fc.constantFrom('client_credentials', record.id, secrets[0], 'scim:read', 'scim:write openid', JWT_BEARER_ASSERTION_TYPE, 'a.b.c', '', '%', '%ZZ'),
      fc.string({ maxLength: 40 }),
    );
    const body = fc.oneof(
      fc.array(fc.tuple(param, value), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
      fc.string({ maxLength: 200 }),
    );
    const headers = fc.record(
      {
        'Content-Type': fc.constantFrom(FORM, `${FORM}; charset=utf-8`, 'application/json', 'text/plain', ''),
        Authorization: fc.oneof(fc.constant(basic(record.id, secrets[0])), fc.string({ maxLength: 60 }), fc.constant('Basic Og==')),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'POST', 'GET', 'PUT'), headers, body, async (method, h, b) => {
        const res = await endpoint(request(b, h as Record<string, string>, method));
        expect([200, 400, 401, 405, 429]).toContain(res.statusCode);
        const json = JSON.parse(res.body);
        if (res.statusCode === 200) expect(json.token_type).toBe('Bearer');
        else expect(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'temporarily_unavailable']).toContain(json.error);
        expect(res.headers?.['Cache-Control']).toBe('no-store');
      }),
      { numRuns: 300 },
    );
  });
});
