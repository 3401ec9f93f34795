import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('hostile JSON bodies over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Sends raw bytes as application/scim+json. */
  const send = async (method: string, path: string, body: Uint8Array | string) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/scim+json' },
      body,
    });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  const usersNamed = async (userName: string) =>
    (await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body.totalResults;

  const deep = (depth: number) => '{"x":'.repeat(depth) + '1' + '}'.repeat(depth);

  it.each([
    ['in a resource attribute', (u: string) => `{"schemas":["${USER}"],"userName":"${u}","name":${deep(5000)}}`, 'POST', '/Users'],
    ['in an array of arrays', (u: string) => `{"schemas":["${USER}"],"userName":"${u}","emails":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, 'POST', '/Users'],
    ['in /Bulk operation data', (u: string) => JSON.stringify({ schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: u, name: '__DEEP__' } }] }).replace('"__DEEP__"', deep(5000)), 'POST', '/Bulk'],
  ])('answers 400 invalidSyntax to deep nesting %s and writes nothing', async (_why, body, method, path) => {
    // Prepare
    const userName = `deep-${randomUUID()}`;
    // Act
    const r = await send(method, path, body(userName));
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidSyntax');
    expect(await usersNamed(userName)).toBe(0);
  });

  it('answers 400 invalidSyntax to a PATCH value nested deeper than the limit', async () => {
    // Prepare
    const u = await server.request('POST', '/Users', { schemas: [USER], userName: `p-${randomUUID()}` });
    // Act
    const r = await send('PATCH', `/Users/${u.body.id}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":${deep(3000)}}]}`);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidSyntax');
  });

  it('answers 400 invalidSyntax to a body that is not UTF-8 and writes nothing', async () => {
    // Prepare: "userName":"caf\xe9-<uuid>" in Latin-1
    const userName = `caf-${randomUUID()}`;
    const latin1 = Buffer.from(`{"schemas":["${USER}"],"userName":"${userName}\xe9"}`, 'latin1');
    // Act
    const r = await send('POST', '/Users', latin1);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidSyntax');
    expect(await usersNamed(`${userName}\uFFFD`)).toBe(0);
  });

  it.each([
    ['in userName', (u: string) => `{"schemas":["${USER}"],"userName":"${u}\\ud800"}`],
    ['in displayName', (u: string) => `{"schemas":["${USER}"],"userName":"${u}","displayName":"\\udfff"}`],
    ['in an extension attribute name', (u: string) => `{"schemas":["${USER}"],"userName":"${u}","\\ud800":1}`],
  ])('answers 400 invalidSyntax to a lone surrogate %s and writes nothing', async (_why, body) => {
    // Prepare
    const userName = `sur-${randomUUID()}`;
    // Act
    const r = await send('POST', '/Users', body(userName));
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidSyntax');
    expect(await usersNamed(userName)).toBe(0);
  });

  it('answers 400 invalidSyntax to a body repeating a member name, naming it, and writes nothing', async () => {
    // Prepare: which "active" would win differs between parsers; we refuse to guess
    const userName = `dup-${randomUUID()}`;
    // Act
    const r = await send('POST', '/Users', `{"schemas":["${USER}"],"userName":"${userName}","active":true,"active":false}`);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidSyntax');
    expect(r.body.detail).toContain('"active"');
    expect(await usersNamed(userName)).toBe(0);
  });

  it.each([
    ['userName', 'userName eq "\\ud800"'],
    ['externalId', 'externalId eq "a\\udc00"'],
    ['an email', 'emails.value eq "\\ud800@x.com"'],
  ])('answers 400 invalidFilter to a filter on %s whose literal escapes a lone surrogate', async (_why, filter) => {
    // Act
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidFilter');
  });
});
