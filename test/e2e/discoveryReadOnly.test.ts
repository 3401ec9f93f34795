import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';
import { INDEXED_FILTERS, INDEXED_SORTS } from '../../lambdas/scim/queryCapabilities';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * RFC 7644 §4: the discovery endpoints are read-only ("An HTTP GET to this endpoint..."); other
 * methods are 405 with Allow (RFC 9110 §15.5.6), never a 404, 500 or a silent 200.
 */
describe('discovery endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const paths = ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/ResourceTypes/Group', '/Schemas', `/Schemas/${USER}`, `/Schemas/${GROUP}`];
  const cases = paths.flatMap((path) => ['POST', 'PUT', 'PATCH', 'DELETE'].map((method) => [method, path] as const));

  it.each(cases)('answers %s %s with 405, Allow: GET and a SCIM error body', async (method, path) => {
    // Act
    const r = await server.request(method, path, method === 'DELETE' ? undefined : { schemas: [USER], userName: 'x' });
    // Assess
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET');
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '405' });
    expect((await server.request('GET', path)).status).toBe(200);
  });

  it.each([
    [USER, 'User'],
    [GROUP, 'Group'],
  ])('lists externalId in %s with its characteristics (Entra gallery validation maps it)', async (urn) => {
    // Act
    const all = await server.request('GET', '/Schemas');
    const one = await server.request('GET', `/Schemas/${urn}`);
    // Assess
    const fromList = all.body.Resources.find((s: { id: string }) => s.id === urn);
    for (const schema of [fromList, one.body]) {
      const externalId = schema.attributes.find((a: { name: string }) => a.name === 'externalId');
      expect(externalId).toMatchObject({ type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readWrite', returned: 'default', uniqueness: 'none' });
    }
  });

  it('says in /ServiceProviderConfig which filters and sortBy attributes are served at any size, and the bound on the rest', async () => {
    const r = await server.request('GET', '/ServiceProviderConfig');
    expect(r.body.filter).toMatchObject({ supported: true, indexed: [...INDEXED_FILTERS], maxExaminedWithoutIndex: 2000 });
    expect(r.body.sort).toEqual({ supported: true, indexed: { User: [...INDEXED_SORTS.User], Group: [...INDEXED_SORTS.Group] }, maxExaminedWithoutIndex: 2000 });
    expect(r.body.filter.indexed).toEqual(expect.arrayContaining(['userName sw', 'meta.lastModified gt|ge|lt|le']));
  });
});
