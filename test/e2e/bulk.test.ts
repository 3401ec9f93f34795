import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe('POST /Bulk', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('advertises bulk with its limits in /ServiceProviderConfig', async () => {
    const r = await server.request('GET', '/ServiceProviderConfig');
    expect(r.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });

  it('creates a group and users into it, resolving bulkId references in any order', async () => {
    // Prepare: the group refers to users created later in the request (forward references)
    const body = {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP], displayName: 'Bulk Group', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] } },
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER], userName: 'bulk1@example.com' } },
        { method: 'POST', path: '/Users', bulkId: 'u2', data: { schemas: [USER], userName: 'bulk2@example.com' } },
        { method: 'PATCH', path: '/Users/bulkId:u1', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Bulk One' }] } },
      ],
    };
    // Act
    const r = await server.request('POST', '/Bulk', body);
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201', '200']);
    const group = r.body.Operations[0];
    expect(group.bulkId).toBe('g1');
    const members = await server.request('GET', new URL(group.location).pathname.replace(/^.*\/scim\/v2/, ''));
    expect(members.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [r.body.Operations[1].location, r.body.Operations[2].location].map((l: string) => l.split('/').pop()).sort(),
    );
    const u1 = await server.request('GET', new URL(r.body.Operations[1].location).pathname.replace(/^.*\/scim\/v2/, ''));
    expect(u1.body.displayName).toBe('Bulk One');
  });

  it('reports each failed operation with its SCIM error and goes on without failOnErrors', async () => {
    const r = await server.request('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: 'dup@example.com' } },
        { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER], userName: 'DUP@example.com' } },
        { method: 'DELETE', path: '/Users/does-not-exist' },
        { method: 'POST', path: '/Users', bulkId: 'c', data: { schemas: [USER], userName: 'ok@example.com' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '409', '404', '201']);
    expect(r.body.Operations[1].response).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('stops after failOnErrors errors and leaves later operations unprocessed', async () => {
    const r = await server.request('POST', '/Bulk', {
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [
        { method: 'DELETE', path: '/Users/nope-1' },
        { method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER], userName: 'never@example.com' } },
      ],
    });
    expect(r.body.Operations).toHaveLength(1);
    const list = await server.request('GET', '/Users?filter=userName eq "never@example.com"');
    expect(list.body.totalResults).toBe(0);
  });

  it('fails an operation whose bulkId reference no operation creates with 409', async () => {
    const r = await server.request('POST', '/Bulk', {
      schemas: [BULK],
      Operations: [{ method: 'PATCH', path: '/Users/bulkId:ghost', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] } }],
    });
    expect(r.body.Operations[0].status).toBe('409');
  });

  it.each([
    ['a body without the BulkRequest schema', { Operations: [] }, 400],
    ['an empty Operations list', { schemas: [BULK], Operations: [] }, 400],
    ['an unknown method', { schemas: [BULK], Operations: [{ method: 'GET', path: '/Users' }] }, 400],
    ['a POST without bulkId', { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', data: {} }] }, 400],
    ['more than maxOperations', { schemas: [BULK], Operations: Array.from({ length: 1001 }, () => ({ method: 'DELETE', path: '/Users/x' })) }, 413],
  ])('rejects %s with a SCIM error', async (_name, body, status) => {
    const r = await server.request('POST', '/Bulk', body);
    expect(r.status).toBe(status);
    expect(r.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
