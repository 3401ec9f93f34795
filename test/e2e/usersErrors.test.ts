import { request as httpRequest } from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('/Users bad input over HTTP', () => {
  let server: TestServer;
  let user: { id: string; userName: string };

  beforeAll(async () => {
    server = await startTestServer();
    user = (await server.request('POST', '/Users', { schemas: [CORE], userName: `err-${randomUUID()}`, emails: [{ value: 'e@example.com', type: 'work' }] })).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  const expectScimError = (r: { status: number; body: Record<string, unknown>; headers: Record<string, string> }, status: number, scimType?: string) => {
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: String(status) });
    expect(typeof r.body.detail).toBe('string');
    if (scimType) expect(r.body.scimType).toBe(scimType);
  };

  describe('POST /Users', () => {
    it.each<[string, unknown, string]>([
      ['a JSON array', [{ userName: 'x' }], 'invalidSyntax'],
      ['a JSON string', '"just a string"', 'invalidSyntax'],
      ['JSON null', 'null', 'invalidSyntax'],
      ['no userName', { schemas: [CORE], displayName: 'x' }, 'invalidValue'],
      ['an empty userName', { schemas: [CORE], userName: '' }, 'invalidValue'],
      ['an object userName', { schemas: [CORE], userName: { value: 'x' } }, 'invalidValue'],
      ['a boolean that is not one', { schemas: [CORE], userName: `b-${randomUUID()}`, active: 'maybe' }, 'invalidValue'],
      ['an email value that is an array', { schemas: [CORE], userName: `e-${randomUUID()}`, emails: [{ value: ['a@x.com'] }] }, 'invalidValue'],
      ['name as a string', { schemas: [CORE], userName: `n-${randomUUID()}`, name: 'Alice' }, 'invalidValue'],
      ['two primary emails', { schemas: [CORE], userName: `p-${randomUUID()}`, emails: [{ value: 'a@x.com', primary: true }, { value: 'b@x.com', primary: true }] }, 'invalidValue'],
      ['an unknown attribute', { schemas: [CORE], userName: `u-${randomUUID()}`, shoeSize: 42 }, 'invalidSyntax'],
      ['an undeclared extension\'s attributes', { schemas: [CORE], userName: `x-${randomUUID()}`, 'urn:example:ext:1.0:User': { a: 1 } }, 'invalidSyntax'],
    ])('answers 400 to %s', async (_name, body, scimType) => {
      // Act
      const r = await server.request('POST', '/Users', body);
      // Assess
      expectScimError(r, 400);
      // The exact scimType of value errors is a validator choice; syntax errors must say so.
      if (scimType === 'invalidSyntax') expect(r.body.scimType).toBe('invalidSyntax');
      else expect(['invalidValue', 'invalidSyntax']).toContain(r.body.scimType);
    });

    it('answers 400 invalidSyntax to a body that is not JSON', async () => {
      // Act
      const r = await server.request('POST', '/Users', '{"userName": "x",');
      // Assess
      expectScimError(r, 400, 'invalidSyntax');
    });

    it('answers 400 to a POST without a body', async () => {
      // Act
      const r = await server.request('POST', '/Users', undefined, { 'Content-Type': 'application/scim+json' });
      // Assess
      expectScimError(r, 400, 'invalidSyntax');
    });

    it('answers a huge userName with a 400, not a 500', async () => {
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `h${'x'.repeat(300_000)}` });
      // Assess
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.schemas).toEqual([ERROR]);
    });

    it('answers a resource too big for one item with a 4xx, not a 500', async () => {
      // Act
      const r = await server.request('POST', '/Users', {
        schemas: [CORE],
        userName: `big-${randomUUID()}`,
        emails: Array.from({ length: 200 }, (_, i) => ({ value: `${'m'.repeat(2000)}${i}@example.com` })),
      });
      // Assess
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.schemas).toEqual([ERROR]);
    });

    it('accepts application/json with a charset and Entra\'s capitalised attribute names', async () => {
      // Act
      const r = await server.request('POST', '/Users', JSON.stringify({ Schemas: [CORE], UserName: `Cap-${randomUUID()}`, Active: 'True' }), { 'Content-Type': 'application/json; charset=utf-8' });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.active).toBe(true);
      expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    });

    it('stores a number sent for a string attribute as its decimal text (IdP expression mappings)', async () => {
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE, ENTERPRISE], userName: 1234567, [ENTERPRISE]: { employeeNumber: 42 } });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.userName).toBe('1234567');
      expect(r.body[ENTERPRISE].employeeNumber).toBe('42');
    });

    it('accepts a JSON body sent as text/plain or with no Content-Type at all (Okta\'s spec test), and answers 415 to XML', async () => {
      // Act
      const plain = await server.request('POST', '/Users', { schemas: [CORE], userName: `plain-${randomUUID()}` }, { 'Content-Type': 'text/plain' });
      const bare = await server.request('POST', '/Users', JSON.stringify({ schemas: [CORE], userName: `bare-${randomUUID()}` }), { 'Content-Type': '' });
      const none = await postWithoutContentType(`${server.baseUrl}/Users`, server.token, JSON.stringify({ schemas: [CORE], userName: `none-${randomUUID()}` }));
      const xml = await server.request('POST', '/Users', `<User><userName>x</userName></User>`, { 'Content-Type': 'application/xml' });
      // Assess
      expect(plain.status).toBe(201);
      expect(bare.status).toBe(201);
      expect(none.status).toBe(201);
      expect(none.contentType).toBe(undefined);
      expectScimError(xml, 415);
    });

    it.each([
      ['deeply nested arrays in a known attribute', `{"schemas":["${CORE}"],"userName":"d1","name":${'['.repeat(20000)}${']'.repeat(20000)}}`],
      ['deeply nested objects in an unknown attribute', `{"schemas":["${CORE}"],"userName":"d2","x":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}`],
    ])('answers %s with a 400, not a 500', async (_name, body) => {
      // Act
      const r = await server.request('POST', '/Users', body);
      // Assess
      expectScimError(r, 400);
    });

    it('accepts null as "unassigned" for attributes and sub-attributes', async () => {
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `nulls-${randomUUID()}`, title: null, emails: null, name: { givenName: null, familyName: 'F' } });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.title).toBeUndefined();
      expect(r.body.emails).toBeUndefined();
      expect(r.body.name).toEqual({ familyName: 'F' });
    });

    it('accepts a single object where emails expects an array', async () => {
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `one-${randomUUID()}`, emails: { value: 'one@example.com', type: 'work' } });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.emails).toEqual([{ value: 'one@example.com', type: 'work' }]);
    });
  });

  describe('PUT /Users/{id}', () => {
    it('answers 400 to a PUT without userName and leaves the user as it was', async () => {
      // Act
      const r = await server.request('PUT', `/Users/${user.id}`, { schemas: [CORE], displayName: 'no name' });
      // Assess
      expectScimError(r, 400);
      expect((await server.request('GET', `/Users/${user.id}`)).body.userName).toBe(user.userName);
    });

    it('answers 400 to a PUT with an array body', async () => {
      // Act
      const r = await server.request('PUT', `/Users/${user.id}`, []);
      // Assess
      expectScimError(r, 400, 'invalidSyntax');
    });
  });

  describe('PATCH /Users/{id}', () => {
    it.each<[string, unknown, string]>([
      ['no Operations', { schemas: [PATCH_OP] }, 'invalidSyntax'],
      ['Operations not an array', { schemas: [PATCH_OP], Operations: { op: 'add' } }, 'invalidSyntax'],
      ['an unknown op', { schemas: [PATCH_OP], Operations: [{ op: 'merge', path: 'title', value: 'x' }] }, 'invalidSyntax'],
      ['an op without op', { schemas: [PATCH_OP], Operations: [{ path: 'title', value: 'x' }] }, 'invalidSyntax'],
      ['an unknown path', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'shoeSize', value: 42 }] }, 'invalidPath'],
      ['a malformed path', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] }, 'invalidPath'],
      ['a remove without path', { schemas: [PATCH_OP], Operations: [{ op: 'remove' }] }, 'noTarget'],
      ['an add without value', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue'],
      ['a wrong type for active', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'perhaps' }] }, 'invalidValue'],
      ['removing the required userName', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'userName' }] }, 'invalidValue'],
      ['replacing the readOnly id', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'other' }] }, 'mutability'],
      ['an unknown enterprise attribute', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: `${ENTERPRISE}:shoeSize`, value: 1 }] }, 'invalidPath'],
    ])('answers 400 to %s and changes nothing', async (_name, body, scimType) => {
      // Prepare
      const before = await server.request('GET', `/Users/${user.id}`);
      // Act
      const r = await server.request('PATCH', `/Users/${user.id}`, body);
      // Assess
      expectScimError(r, 400);
      expect(['invalidSyntax', 'invalidPath', 'invalidValue', 'noTarget', 'mutability']).toContain(r.body.scimType);
      if (scimType === 'invalidPath' || scimType === 'mutability') expect(r.body.scimType).toBe(scimType);
      expect((await server.request('GET', `/Users/${user.id}`)).body.meta.version).toBe(before.body.meta.version);
    });

    it('answers 400 to more operations than a request may carry', async () => {
      // Act
      const r = await server.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: Array.from({ length: 5000 }, (_, i) => ({ op: 'add', path: 'title', value: `t${i}` })) });
      // Assess
      expectScimError(r, 400, 'invalidSyntax');
    });

    it('answers a deeply nested PATCH value with a 400, not a 500', async () => {
      // Act
      const r = await server.request('PATCH', `/Users/${user.id}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}]}`);
      // Assess
      expectScimError(r, 400);
    });

    it('applies no operation of a request whose later operation fails', async () => {
      // Act
      const r = await server.request('PATCH', `/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'title', value: 'should not stick' },
          { op: 'replace', path: 'shoeSize', value: 1 },
        ],
      });
      // Assess
      expect(r.status).toBe(400);
      expect((await server.request('GET', `/Users/${user.id}`)).body.title).toBeUndefined();
    });
  });

  describe('ids and filter values longer than a DynamoDB key', () => {
    const long = 'x'.repeat(3000);

    it.each([
      ['GET', undefined],
      ['PUT', { schemas: [CORE], userName: 'someone' }],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
      ['DELETE', undefined],
    ])('answers %s of an over-long id with 404, not 500', async (method, body) => {
      // Act
      const r = await server.request(method, `/Users/${long}`, body);
      // Assess
      expectScimError(r, 404);
    });

    it.each(['id', 'userName', 'externalId', 'emails.value'])('answers an over-long %s eq filter with an empty list, not 500', async (attr) => {
      // Act
      const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`${attr} eq "${long}"`)}`);
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
    });
  });

  describe('methods', () => {
    it.each([
      ['PUT', '/Users'],
      ['DELETE', '/Users'],
      ['POST', `/Users/${randomUUID()}`],
      ['GET', '/Users/.search'],
    ])('answers %s %s with 405', async (method, path) => {
      // Act
      const r = await server.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      // Assess
      expectScimError(r, 405);
    });
  });

  describe('query parameters', () => {
    it.each([
      ['a sortOrder that is neither', '/Users?sortOrder=sideways', 'invalidValue'],
      ['a negative count', '/Users?count=-1', undefined],
      ['attributes with an unknown name', '/Users?attributes=shoeSize', undefined],
    ])('never answers 5xx to %s', async (_name, path, scimType) => {
      // Act
      const r = await server.request('GET', path);
      // Assess
      expect(r.status).toBeLessThan(500);
      if (r.status >= 400) expectScimError(r, r.status, scimType);
    });
  });

  describe('arbitrary bodies', () => {
    it('never answers 5xx to arbitrary JSON bodies on POST /Users', async () => {
      // Prepare
      const attrName = fc.constantFrom('userName', 'UserName', 'name', 'emails', 'active', 'password', 'schemas', 'externalId', 'phoneNumbers', 'addresses', 'groups', 'meta', 'id', ENTERPRISE, 'x');
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(attrName, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
        fc.record({ schemas: fc.constant([CORE]), userName: fc.string({ minLength: 1, maxLength: 30 }) }, { requiredKeys: ['schemas'] }).chain((base) =>
          fc.dictionary(attrName, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((extra) => ({ ...extra, ...base })),
        ),
      );
      // Act + Assess
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const r = await server.request('POST', '/Users', JSON.stringify(b));
          expect(r.status, JSON.stringify(b).slice(0, 300)).toBeLessThan(500);
          if (r.status >= 400) expect(r.body.schemas).toEqual([ERROR]);
          else expect(r.status).toBe(201);
        }),
        { numRuns: 150 },
      );
    });

    it('never answers 5xx to arbitrary list query parameters', async () => {
      // Prepare
      const token = fc.constantFrom('userName', 'emails', 'emails.value', 'emails[type eq "work"]', 'eq', 'co', 'pr', 'and', 'or', 'not', '(', ')', '"x"', '[', ']', 'true', '42', 'meta.lastModified', 'groups', 'id', `${ENTERPRISE}:manager`);
      const filter = fc.oneof(fc.string({ maxLength: 40 }), fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')));
      const params = fc.record(
        {
          filter,
          attributes: fc.constantFrom('userName', 'emails.value', 'groups', 'x', ',', 'password'),
          sortBy: fc.constantFrom('userName', 'emails', 'name.givenName', 'meta.created', 'nope', '['),
          sortOrder: fc.constantFrom('ascending', 'DESCENDING', 'x'),
          startIndex: fc.oneof(fc.integer({ min: -5, max: 50 }).map(String), fc.constant('abc')),
          count: fc.oneof(fc.integer({ min: -5, max: 5000 }).map(String), fc.constant('1e3')),
          cursor: fc.oneof(fc.constant(''), fc.base64String({ maxLength: 40 }), fc.string({ maxLength: 10 })),
        },
        { requiredKeys: [] },
      );
      // Act + Assess
      await fc.assert(
        fc.asyncProperty(params, async (p) => {
          const qs = new URLSearchParams(p as Record<string, string>).toString();
          const r = await server.request('GET', `/Users?${qs}`);
          expect(r.status, qs).toBeLessThan(500);
          if (r.status >= 400) expect(r.body.schemas).toEqual([ERROR]);
        }),
        { numRuns: 150 },
      );
    });

    it('never answers 5xx to arbitrary PATCH operations', async () => {
      // Prepare
      const op = fc.record(
        {
          op: fc.constantFrom('add', 'Replace', 'remove', 'copy', 1),
          path: fc.constantFrom('title', 'emails[type eq "work"].value', 'name.givenName', `${ENTERPRISE}:manager`, 'members', 'active', 'emails[', 'groups', 'userName'),
          value: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      );
      // Act + Assess
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 4 }), async (Operations) => {
          const r = await server.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations });
          expect(r.status, JSON.stringify(Operations).slice(0, 300)).toBeLessThan(500);
        }),
        { numRuns: 100 },
      );
    });
  });
});

/** POSTs over node:http, which (unlike fetch) adds no Content-Type to a string body. */
function postWithoutContentType(url: string, token: string, body: string): Promise<{ status: number; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: req.getHeader('content-type') as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
