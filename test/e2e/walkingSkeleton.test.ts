import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

describe('local server: walking skeleton', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers /ServiceProviderConfig with the token and advertises what works', async () => {
    const r = await server.request('GET', '/ServiceProviderConfig');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    // The core schema first; extensions (the all-or-nothing bulk) after it.
    expect(r.body.schemas[0]).toBe('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig');
    expect(r.body.patch.supported).toBe(true);
    expect(r.body.etag.supported).toBe(true);
  });

  it.each([
    ['no Authorization header', {}],
    ['a malformed header', { Authorization: 'Bearer' }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['a wrong token', { Authorization: 'Bearer scim_local_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
  ])('answers 401 with a SCIM error body for %s', async (_name, headers) => {
    const res = await fetch(`${server.baseUrl}/ServiceProviderConfig`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const body = (await res.json()) as { schemas: string[]; status: string };
    expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(body.status).toBe('401');
  });

  it('lists the three schemas with their attribute characteristics', async () => {
    const r = await server.request('GET', '/Schemas');
    expect(r.status).toBe(200);
    const ids = r.body.Resources.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]));
    const user = r.body.Resources.find((s: { id: string }) => s.id.endsWith('core:2.0:User'));
    const userName = user.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({ type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' });
    expect(user.meta.location).toBe(`${server.baseUrl}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`);
  });

  it('answers /Schemas/{urn} and /ResourceTypes/{id}, and 404 for unknown ones', async () => {
    expect((await server.request('GET', '/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).body.name).toBe('EnterpriseUser');
    const rt = await server.request('GET', '/ResourceTypes/User');
    expect(rt.body).toMatchObject({ id: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' });
    expect(rt.body.meta.location).toBe(`${server.baseUrl}/ResourceTypes/User`);
    expect((await server.request('GET', '/Schemas/urn:nope')).status).toBe(404);
    expect((await server.request('GET', '/ResourceTypes/Widget')).status).toBe(404);
  });

  it('answers an unknown path with a SCIM 404 body', async () => {
    const r = await server.request('GET', '/Widgets');
    expect(r.status).toBe(404);
    expect(r.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    const outside = await fetch(server.baseUrl.replace('/scim/v2', '/nope'));
    expect(outside.status).toBe(404);
  });

  it('answers a body over the limit with a SCIM 413', async () => {
    const huge = JSON.stringify({ userName: 'x'.repeat(11 * 1024 * 1024) });
    const r = await server.request('POST', '/Users', huge);
    expect(r.status).toBe(413);
    expect(r.body.status).toBe('413');
  });

  it('writes to and reads back from DynamoDB Local through the real handlers', async () => {
    const created = await server.request('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'skeleton@example.com' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${server.baseUrl}/Users/${created.body.id}`);
    const stored = await server.store.getUser(created.body.id);
    expect(stored?.data.userName).toBe('skeleton@example.com');
    const read = await server.request('GET', `/Users/${created.body.id}`);
    expect(read.body.userName).toBe('skeleton@example.com');
  });

  it('returns the same resource text from POST, GET and a list, whatever order DynamoDB keeps', async () => {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      userName: 'order@example.com',
      name: { givenName: 'O', familyName: 'R', formatted: 'O R' },
      emails: [{ value: 'order@example.com', type: 'work', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555' }],
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'D', employeeNumber: '7' },
    };
    const created = await server.request('POST', '/Users', body);
    const read = await server.request('GET', `/Users/${created.body.id}`);
    const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "order@example.com"')}`);
    expect(JSON.stringify(read.body)).toBe(JSON.stringify(created.body));
    expect(JSON.stringify(listed.body.Resources[0])).toBe(JSON.stringify(created.body));
  });
});
