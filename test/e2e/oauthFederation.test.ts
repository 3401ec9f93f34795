import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { CLOCK_SKEW_SECONDS, FAILURE_WINDOW_SECONDS, JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_BYTES, MAX_FAILURES_PER_WINDOW } from '../../lambdas/auth/oauth/constants';
import { startTestServer, type TestServer } from '../support/localStack';
import { startFakeEntra, type FakeEntra } from '../support/entraIssuer';
import { requestToken } from '../support/oauthClient';

const CLIENT_ID = 'entra-wif';

describe('Workload Identity Federation on the local server', () => {
  let server: TestServer;
  let entra: FakeEntra;
  let clock = Date.now();
  const now = () => clock;

  beforeAll(async () => {
    entra = await startFakeEntra();
    server = await startTestServer({
      now,
      oauth: {
        enabled: true,
        federation: [
          {
            clientId: CLIENT_ID,
            entraTenantId: entra.tenantId,
            subject: entra.subject,
            audience: [entra.audience, `api://${entra.audience}`],
            scopes: ['scim:read', 'scim:write'],
            jwksUri: entra.jwksUri,
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await entra?.close();
  });

  const exchange = (assertion: string, more: Record<string, string> = { client_id: CLIENT_ID }) =>
    requestToken(server.tokenUrl, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion, ...more });

  it('exchanges an Entra v2 assertion for an access token the SCIM API accepts', async () => {
    const reply = await exchange(await entra.assertion(clock));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const res = await fetch(`${server.baseUrl}/Users`, { headers: { Authorization: `Bearer ${reply.body.access_token}` } });
    expect(res.status).toBe(200);
  });

  it('accepts the v1 issuer form and an assertion sent without client_id', async () => {
    const v1 = await entra.assertion(clock, { claims: { iss: `https://sts.windows.net/${entra.tenantId}/`, aud: `api://${entra.audience}`, ver: '1.0' } });
    expect((await exchange(v1)).status).toBe(200);
    expect((await exchange(await entra.assertion(clock), {})).status).toBe(200);
  });

  it('accepts the same assertion again within its lifetime but not after it', async () => {
    const assertion = await entra.assertion(clock, { lifetimeSeconds: 600 });
    expect((await exchange(assertion)).status).toBe(200);
    expect((await exchange(assertion)).status).toBe(200);
    clock += (600 + CLOCK_SKEW_SECONDS + 1) * 1000;
    const late = await exchange(assertion);
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('invalid_client');
  });

  // Each case: a hostile or broken assertion and why it must fail.
  const hostile: Array<[string, () => Promise<string>]> = [
    ['a wrong issuer', () => entra.assertion(clock, { claims: { iss: 'https://login.microsoftonline.com/common/v2.0' } })],
    ['an issuer of another Entra tenant', () => entra.assertion(clock, { claims: { iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000001/' } })],
    ['a wrong audience', () => entra.assertion(clock, { claims: { aud: 'https://graph.microsoft.com' } })],
    ['a wrong subject', () => entra.assertion(clock, { claims: { sub: 'someone-else' } })],
    ['a wrong tid', () => entra.assertion(clock, { claims: { tid: '00000000-0000-0000-0000-000000000002' } })],
    ['no tid', () => entra.assertion(clock, { claims: { tid: undefined } })],
    ['an expired token', () => entra.assertion(clock - 7_200_000, { lifetimeSeconds: 3600 })],
    ['a token not yet valid', () => entra.assertion(clock, { claims: { nbf: Math.floor(clock / 1000) + 600 } })],
    ['a token issued in the future', () => entra.assertion(clock + 3_600_000)],
    ['a lifetime of days', () => entra.assertion(clock, { lifetimeSeconds: 7 * 86_400 })],
    ['an unknown kid', () => entra.assertion(clock, { header: { kid: 'not-a-kid' } })],
    ['an unknown crit header', () => new SignJWT({ iss: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`, aud: entra.audience, sub: entra.subject, tid: entra.tenantId, iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 600 })
      .setProtectedHeader({ alg: 'RS256', kid: entra.kid, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true })
      .sign(entra.privateKey, { crit: { 'urn:example:must-understand': true } })],
    ['alg none', async () => {
      const good = await entra.assertion(clock);
      return `${base64url.encode(JSON.stringify({ alg: 'none', kid: entra.kid }))}.${good.split('.')[1]}.`;
    }],
    ['HS256 keyed with the issuer\u2019s public key', async () => {
      const good = await entra.assertion(clock);
      const pem = await exportSPKI((await importJWK(entra.publicJwk, 'RS256')) as CryptoKey);
      const input = `${base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: entra.kid }))}.${good.split('.')[1]}`;
      return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    }],
    ['a signature by another key under the right kid', async () => {
      const other = await generateKeyPair('RS256');
      return entra.assertion(clock, { key: other.privateKey });
    }],
    ['an oversized token', () => entra.assertion(clock, { claims: { padding: 'x'.repeat(MAX_ASSERTION_BYTES) } })],
    ['garbage', async () => 'not.a.jwt'],
  ];

  it.each(hostile)('refuses an assertion with %s as invalid_client', async (_name, make) => {
    clock += FAILURE_WINDOW_SECONDS * 1000; // a fresh failure window: each case is judged alone
    const reply = await exchange(await make());
    expect(reply.status).toBe(401);
    expect(reply.body.error).toBe('invalid_client');
    expect(reply.headers['www-authenticate']).toBeDefined();
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 429 with Retry-After once a caller has failed too often, and recovers after the window', async () => {
    clock += FAILURE_WINDOW_SECONDS * 1000;
    const bad = await entra.assertion(clock, { claims: { aud: 'wrong' } });
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) expect((await exchange(bad)).status).toBe(401);
    const limited = await exchange(await entra.assertion(clock));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    clock += FAILURE_WINDOW_SECONDS * 1000;
    expect((await exchange(await entra.assertion(clock))).status).toBe(200);
  });

  it('fetches the JWKS once and again at most once for a flood of unknown kids', async () => {
    clock += FAILURE_WINDOW_SECONDS * 1000;
    const before = entra.fetches();
    for (let i = 0; i < 5; i++) await exchange(await entra.assertion(clock, { header: { kid: `forged-${i}` } }));
    expect(entra.fetches() - before).toBeLessThanOrEqual(1);
  });

  it('refuses an unknown client_id, a wrong assertion type and a form sent as JSON', async () => {
    clock += FAILURE_WINDOW_SECONDS * 1000;
    const assertion = await entra.assertion(clock);
    expect((await exchange(assertion, { client_id: 'someone' })).body.error).toBe('invalid_client');
    expect((await exchange(assertion, { client_id: CLIENT_ID, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' })).body.error).toBe(
      'invalid_client',
    );
    const json = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});
