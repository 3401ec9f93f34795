import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('requests too large for the server to parse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['a URL too long', 414, () => server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${'a'.repeat(20_000)}"`)}`)],
    ['headers too large', 431, () => server.request('GET', '/Users', undefined, { 'X-Padding': 'p'.repeat(20_000) })],
  ] as const)('answers %s with %i and a SCIM error body, not a bare status', async (_, status, send) => {
    // Act
    const r = await send();
    // Assess
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: String(status), detail: expect.any(String) });
  });

  it('keeps serving after refusing one', async () => {
    await server.request('GET', '/Users', undefined, { 'X-Padding': 'p'.repeat(20_000) });
    expect((await server.request('GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});
