import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('/Users over HTTP: create, read, replace, patch, delete', () => {
  let server: TestServer;
  const newUser = async (extra: Record<string, unknown> = {}) => {
    const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `u-${randomUUID()}@example.com`, ...extra });
    expect(r.status).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('POST /Users', () => {
    it('answers 201 with Location and an ETag equal to meta.version', async () => {
      // Prepare
      const userName = `alice-${randomUUID()}@example.com`;
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName, name: { givenName: 'Alice' }, active: true });
      // Assess
      expect(r.status).toBe(201);
      expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(r.headers.location).toBe(`${server.baseUrl}/Users/${r.body.id}`);
      expect(r.headers.etag).toBe(r.body.meta.version);
      expect(r.body.meta.version).toMatch(/^W\/"\d+"$/);
      expect(r.body).toMatchObject({
        schemas: [CORE],
        userName,
        name: { givenName: 'Alice' },
        active: true,
        meta: { resourceType: 'User', location: r.headers.location },
      });
      expect(r.body.meta.created).toBe(r.body.meta.lastModified);
    });

    it('ignores read-only id, meta and groups on input', async () => {
      // Act
      const r = await server.request('POST', '/Users', {
        schemas: [CORE],
        id: 'chosen-by-client',
        userName: `ro-${randomUUID()}`,
        meta: { resourceType: 'User', version: 'W/"99"' },
        groups: [{ value: 'nope' }],
      });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.id).not.toBe('chosen-by-client');
      expect(r.body.groups).toBeUndefined();
      expect(r.body.meta.version).not.toBe('W/"99"');
    });

    it('never returns the password and stores only a hash', async () => {
      // Act
      const r = await server.request('POST', '/Users', { schemas: [CORE], userName: `pw-${randomUUID()}`, password: 'S3cret!pass' });
      // Assess
      expect(r.status).toBe(201);
      expect(r.body.password).toBeUndefined();
      const stored = await server.store.getUser(r.body.id);
      expect(stored?.data.password).toMatch(/^scrypt\$/);
      expect(JSON.stringify(stored?.data)).not.toContain('S3cret!pass');
      const read = await server.request('GET', `/Users/${r.body.id}?attributes=password`);
      expect(read.body.password).toBeUndefined();
    });
  });

  describe('GET /Users/{id}', () => {
    it('answers 200 with the resource and its ETag', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Reader' });
      // Act
      const r = await server.request('GET', `/Users/${u.id}`);
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toEqual(u);
      expect(r.headers.etag).toBe(u.meta.version);
    });

    it('answers 304 without a body when If-None-Match holds the current version', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const same = await server.request('GET', `/Users/${u.id}`, undefined, { 'If-None-Match': u.meta.version });
      const other = await server.request('GET', `/Users/${u.id}`, undefined, { 'If-None-Match': 'W/"12345"' });
      // Assess
      expect(same.status).toBe(304);
      expect(same.body).toBeUndefined();
      expect(other.status).toBe(200);
    });

    it('answers a SCIM 404 for an unknown id', async () => {
      // Act
      const r = await server.request('GET', `/Users/${randomUUID()}`);
      // Assess
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '404' });
    });

    it('honours attributes and excludedAttributes, keeping id and schemas', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Projected', title: 'Boss' });
      // Act
      const only = await server.request('GET', `/Users/${u.id}?attributes=displayName`);
      const without = await server.request('GET', `/Users/${u.id}?excludedAttributes=title`);
      // Assess
      expect(only.body).toMatchObject({ id: u.id, schemas: [CORE], displayName: 'Projected' });
      expect(only.body.title).toBeUndefined();
      expect(only.body.userName).toBeUndefined();
      expect(without.body.title).toBeUndefined();
      expect(without.body.displayName).toBe('Projected');
    });
  });

  describe('PUT /Users/{id}', () => {
    it('replaces the resource: absent attributes are cleared, id and meta.created kept', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Before', title: 'Engineer', nickName: 'B' });
      // Act
      const r = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, displayName: 'After' });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: u.id, userName: u.userName, displayName: 'After' });
      expect(r.body.title).toBeUndefined();
      expect(r.body.nickName).toBeUndefined();
      expect(r.body.meta.created).toBe(u.meta.created);
      expect(r.body.meta.version).not.toBe(u.meta.version);
      expect(r.headers.etag).toBe(r.body.meta.version);
      expect((await server.request('GET', `/Users/${u.id}`)).body).toEqual(r.body);
    });

    it('keeps the stored password when the PUT omits it (Okta)', async () => {
      // Prepare
      const u = await newUser({ password: 'Initial#1' });
      const hashBefore = (await server.store.getUser(u.id))?.data.password;
      // Act
      const r = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, displayName: 'No password here' });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.password).toBeUndefined();
      expect((await server.store.getUser(u.id))?.data.password).toBe(hashBefore);
    });

    it('ignores a different id in the body and never changes the resource id', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], id: 'other', userName: u.userName });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(u.id);
      expect((await server.request('GET', `/Users/${u.id}`)).status).toBe(200);
    });

    it('answers 404 for an unknown id', async () => {
      // Act
      const r = await server.request('PUT', `/Users/${randomUUID()}`, { schemas: [CORE], userName: 'nobody' });
      // Assess
      expect(r.status).toBe(404);
      expect(r.body.schemas).toEqual([ERROR]);
    });
  });

  describe('PATCH /Users/{id}', () => {
    it('answers 200 with the patched resource and a new ETag', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Old' });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Replace', path: 'displayName', value: 'New' }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.displayName).toBe('New');
      expect(r.headers.etag).toBe(r.body.meta.version);
      expect(r.body.meta.version).not.toBe(u.meta.version);
    });

    it('creates the work email from Entra\'s Add on emails[type eq "work"].value', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Add', path: 'emails[type eq "work"].value', value: 'work@contoso.com' }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.emails).toEqual([expect.objectContaining({ type: 'work', value: 'work@contoso.com' })]);
    });

    it('replaces the existing work email in place on a Replace of emails[type eq "work"].value', async () => {
      // Prepare
      const u = await newUser({ emails: [{ type: 'work', value: 'a@contoso.com', primary: true }, { type: 'home', value: 'h@home.example' }] });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'b@contoso.com' }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.emails).toEqual([
        { type: 'work', value: 'b@contoso.com', primary: true },
        { type: 'home', value: 'h@home.example' },
      ]);
    });

    it('creates and updates the work address through addresses[type eq "work"] sub-attributes', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request(
        'PATCH',
        `/Users/${u.id}`,
        patchBody(
          { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
          { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
          { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '12345' },
          { op: 'Replace', path: 'addresses[type eq "work"].country', value: 'US' },
        ),
      );
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.addresses).toEqual([{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield', postalCode: '12345', country: 'US' }]);
    });

    it('sets name parts, phone numbers and top-level attributes Entra patches', async () => {
      // Prepare
      const u = await newUser({ name: { givenName: 'A', familyName: 'B' } });
      const newName = `renamed-${randomUUID()}@contoso.com`;
      // Act
      const r = await server.request(
        'PATCH',
        `/Users/${u.id}`,
        patchBody(
          { op: 'Replace', path: 'name.givenName', value: 'Alice' },
          { op: 'Replace', path: 'name.familyName', value: 'Smith' },
          { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
          { op: 'Replace', path: 'userName', value: newName },
          { op: 'Replace', path: 'externalId', value: 'alice' },
          { op: 'Replace', path: 'displayName', value: 'Alice Smith' },
        ),
      );
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        name: { givenName: 'Alice', familyName: 'Smith' },
        phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
        userName: newName,
        externalId: 'alice',
        displayName: 'Alice Smith',
      });
    });

    it('sets enterprise department and employeeNumber by URN-qualified path', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request(
        'PATCH',
        `/Users/${u.id}`,
        patchBody(
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Sales' },
          { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '42' },
        ),
      );
      // Assess
      expect(r.status).toBe(200);
      expect(r.body[ENTERPRISE]).toEqual({ department: 'Sales', employeeNumber: '42' });
      expect(r.body.schemas).toEqual(expect.arrayContaining([CORE, ENTERPRISE]));
    });

    it.each([
      ['a bare id string', (id: string) => id],
      ['an object with value', (id: string) => ({ value: id })],
    ])('sets the manager from %s and returns it as {value, $ref}', async (_name, valueOf) => {
      // Prepare
      const boss = await newUser();
      const u = await newUser();
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Add', path: `${ENTERPRISE}:manager`, value: valueOf(boss.id) }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body[ENTERPRISE].manager).toEqual({ value: boss.id, $ref: `${server.baseUrl}/Users/${boss.id}` });
    });

    it.each([
      ['without a value', (_id: string) => ({ op: 'Remove', path: `${ENTERPRISE}:manager` })],
      ['with the manager as value', (id: string) => ({ op: 'Remove', path: `${ENTERPRISE}:manager`, value: id })],
      ['with a [value eq "id"] filter', (id: string) => ({ op: 'Remove', path: `${ENTERPRISE}:manager[value eq "${id}"]` })],
    ])('removes the manager %s', async (_name, op) => {
      // Prepare
      const u = await newUser({ schemas: [CORE, ENTERPRISE], [ENTERPRISE]: { manager: { value: 'boss-1' }, department: 'Ops' } });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody(op('boss-1')));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body[ENTERPRISE]).toEqual({ department: 'Ops' });
    });

    it('applies Okta\'s no-path replace of active and keeps everything else', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Okta', active: true });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', value: { active: false } }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ active: false, displayName: 'Okta', userName: u.userName });
    });

    it('applies no-path values with dotted and URN-qualified keys', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request(
        'PATCH',
        `/Users/${u.id}`,
        patchBody({ op: 'add', value: { nickName: 'Babs', 'name.givenName': 'Barbara', [`${ENTERPRISE}:department`]: 'R&D' } }),
      );
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ nickName: 'Babs', name: { givenName: 'Barbara' }, [ENTERPRISE]: { department: 'R&D' } });
    });

    it('coerces Entra\'s "False" and "True" strings for active', async () => {
      // Prepare
      const u = await newUser({ active: true });
      // Act
      const off = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));
      const on = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Replace', path: 'active', value: 'True' }));
      // Assess
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect(on.body.active).toBe(true);
    });

    it('changes the password by no-path replace (Okta) without ever returning it', async () => {
      // Prepare
      const u = await newUser({ password: 'First#1' });
      const before = (await server.store.getUser(u.id))?.data.password;
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', value: { password: 'Second#2' } }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.password).toBeUndefined();
      const after = (await server.store.getUser(u.id))?.data.password;
      expect(after).toMatch(/^scrypt\$/);
      expect(after).not.toBe(before);
      expect(JSON.stringify(r.body)).not.toContain('Second#2');
    });

    it('keeps the password hash when a PATCH does not touch it', async () => {
      // Prepare
      const u = await newUser({ password: 'Keep#1' });
      const before = (await server.store.getUser(u.id))?.data.password;
      // Act
      await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }));
      // Assess
      expect((await server.store.getUser(u.id))?.data.password).toBe(before);
    });

    it('answers the projection the attributes parameter asks for', async () => {
      // Prepare
      const u = await newUser({ displayName: 'Proj', title: 'T' });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}?attributes=title`, patchBody({ op: 'replace', path: 'title', value: 'T2' }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: u.id, title: 'T2' });
      expect(r.body.displayName).toBeUndefined();
      expect(r.body.userName).toBeUndefined();
    });

    it('demotes the previous primary email when an added one is primary (RFC 7644 §3.5.2)', async () => {
      // Prepare
      const u = await newUser({ emails: [{ type: 'work', value: 'old@x.com', primary: true }] });
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'add', path: 'emails', value: [{ type: 'home', value: 'new@x.com', primary: true }] }));
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.emails).toEqual([
        { type: 'work', value: 'old@x.com', primary: false },
        { type: 'home', value: 'new@x.com', primary: true },
      ]);
    });

    it('drops the email and externalId lookups of values a write removes', async () => {
      // Prepare
      const ext = `gone-${randomUUID()}`;
      const mail = `gone-${randomUUID()}@x.com`;
      const u = await newUser({ externalId: ext, emails: [{ type: 'work', value: mail }] });
      // Act
      const patched = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'remove', path: 'emails[type eq "work"]' }));
      const put = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName });
      // Assess
      expect(patched.body.emails).toBeUndefined();
      expect(put.body.externalId).toBeUndefined();
      expect((await server.request('GET', `/Users?filter=${encodeURIComponent(`emails.value eq "${mail}"`)}`)).body.totalResults).toBe(0);
      expect((await server.request('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${ext}"`)}`)).body.totalResults).toBe(0);
    });

    it('answers 404 for an unknown id', async () => {
      // Act
      const r = await server.request('PATCH', `/Users/${randomUUID()}`, patchBody({ op: 'replace', path: 'title', value: 'x' }));
      // Assess
      expect(r.status).toBe(404);
    });
  });

  describe('DELETE /Users/{id}', () => {
    it('answers 204, then 404 on GET, PATCH and DELETE', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request('DELETE', `/Users/${u.id}`);
      // Assess
      expect(r.status).toBe(204);
      expect(r.body).toBeUndefined();
      expect((await server.request('GET', `/Users/${u.id}`)).status).toBe(404);
      expect((await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }))).status).toBe(404);
      expect((await server.request('DELETE', `/Users/${u.id}`)).status).toBe(404);
    });

    it('removes the user from its groups and keeps an audit record', async () => {
      // Prepare
      const u = await newUser({ externalId: `ext-${randomUUID()}` });
      const g = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `g-${randomUUID()}`, members: [{ value: u.id }] });
      expect(g.status).toBe(201);
      expect((await server.request('GET', `/Users/${u.id}?attributes=groups`)).body.groups).toEqual([expect.objectContaining({ value: g.body.id })]);
      // Act
      const r = await server.request('DELETE', `/Users/${u.id}`);
      // Assess
      expect(r.status).toBe(204);
      const group = await server.request('GET', `/Groups/${g.body.id}`);
      expect(group.status).toBe(200);
      expect(group.body.members ?? []).toEqual([]);
      const byMember = await server.request('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${u.id}"]`)}`);
      expect(byMember.body.totalResults).toBe(0);
      const day = new Date().toISOString().slice(0, 10);
      const audit = await server.store.auditRecords(day);
      expect(audit).toContainEqual(expect.objectContaining({ action: 'delete', resourceType: 'User', resourceId: u.id, externalId: u.externalId }));
    });

    it('frees the userName for a new user', async () => {
      // Prepare
      const u = await newUser();
      await server.request('DELETE', `/Users/${u.id}`);
      // Act
      const again = await server.request('POST', '/Users', { schemas: [CORE], userName: u.userName });
      // Assess
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(u.id);
    });
  });

  describe('versions and If-Match', () => {
    it('changes meta.version on every write', async () => {
      // Prepare
      const u = await newUser();
      const versions = [u.meta.version];
      // Act
      versions.push((await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'a' }))).body.meta.version);
      versions.push((await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, title: 'b' })).body.meta.version);
      versions.push((await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'active', value: false }))).body.meta.version);
      // Assess
      expect(new Set(versions).size).toBe(4);
    });

    it.each(['PUT', 'PATCH', 'DELETE'])('answers 412 to %s with a stale If-Match and changes nothing', async (method) => {
      // Prepare
      const u = await newUser({ title: 'orig' });
      await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'v2' }));
      const body = method === 'PUT' ? { schemas: [CORE], userName: u.userName } : method === 'PATCH' ? patchBody({ op: 'replace', path: 'title', value: 'v3' }) : undefined;
      // Act
      const r = await server.request(method, `/Users/${u.id}`, body, { 'If-Match': u.meta.version });
      // Assess
      expect(r.status).toBe(412);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '412' });
      const now = await server.request('GET', `/Users/${u.id}`);
      expect(now.body.title).toBe('v2');
    });

    it('applies PUT, PATCH and DELETE whose If-Match holds the current version', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const patched = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 't' }), { 'If-Match': u.meta.version });
      const put = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName }, { 'If-Match': patched.headers.etag });
      const del = await server.request('DELETE', `/Users/${u.id}`, undefined, { 'If-Match': put.headers.etag });
      // Assess
      expect([patched.status, put.status, del.status]).toEqual([200, 200, 204]);
    });

    it('treats If-Match * as any version and If-None-Match * as a match', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const put = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, title: 'any' }, { 'If-Match': '*' });
      const get = await server.request('GET', `/Users/${u.id}`, undefined, { 'If-None-Match': '*' });
      // Assess
      expect(put.status).toBe(200);
      expect(get.status).toBe(304);
      expect(get.headers.etag).toBe(put.body.meta.version);
    });

    it('applies a write whose If-Match lists the current version among others (RFC 7232 §3.1)', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'listed' }), { 'If-Match': `W/"999", ${u.meta.version}` });
      const stale = await server.request('DELETE', `/Users/${u.id}`, undefined, { 'If-Match': `W/"998", ${u.meta.version}` });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.title).toBe('listed');
      expect(stale.status).toBe(412);
    });

    it('answers 412 to an If-Match that is not an ETag', async () => {
      // Prepare
      const u = await newUser();
      // Act
      const r = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }), { 'If-Match': 'garbage' });
      // Assess
      expect(r.status).toBe(412);
      expect(r.body.status).toBe('412');
    });

    it('never loses an update when 10 PATCHes race on one user', async () => {
      // Prepare
      const u = await newUser();
      const types = ['work', 'home', 'mobile', 'fax', 'pager', 'other', 'main', 'car', 'assistant', 'radio'];
      // Act
      const replies = await Promise.all(
        types.map((type, i) => server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'add', path: 'phoneNumbers', value: [{ type, value: `+1 555 01${i}0` }] }))),
      );
      // Assess
      expect(replies.map((r) => r.status)).toEqual(types.map(() => 200));
      const final = await server.request('GET', `/Users/${u.id}`);
      expect(final.body.phoneNumbers.map((p: { type: string }) => p.type).sort()).toEqual([...types].sort());
      expect(new Set(replies.map((r) => r.body.meta.version)).size).toBe(10);
    });

    it('never loses an update when 10 PATCHes set different enterprise attributes', async () => {
      // Prepare
      const u = await newUser();
      const attrs = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'];
      // Act
      const replies = await Promise.all(attrs.map((a) => server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'Add', path: `${ENTERPRISE}:${a}`, value: `v-${a}` }))));
      // Assess
      expect(replies.every((r) => r.status === 200)).toBe(true);
      const final = await server.request('GET', `/Users/${u.id}`);
      expect(final.body[ENTERPRISE]).toEqual(Object.fromEntries(attrs.map((a) => [a, `v-${a}`])));
    });
  });

  describe('deprovisioning', () => {
    type Deactivation = (u: { userName: string }) => [string, unknown];
    it.each<[string, Deactivation]>([
      ['PATCH active false', () => ['PATCH', patchBody({ op: 'Replace', path: 'active', value: false })]],
      ['PATCH active "False" (Entra)', () => ['PATCH', patchBody({ op: 'Replace', path: 'active', value: 'False' })]],
      ['PUT active "False"', (u) => ['PUT', { schemas: [CORE], userName: u.userName, displayName: 'Dep', emails: [{ value: 'dep@example.com', type: 'work' }], active: 'False' }]],
    ])('keeps the user, its attributes and groups after %s, reversibly', async (_name, request) => {
      // Prepare
      const u = await newUser({ displayName: 'Dep', emails: [{ value: 'dep@example.com', type: 'work' }], active: true });
      const g = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `dep-${randomUUID()}`, members: [{ value: u.id }] });
      const [method, body] = request(u);
      // Act
      const off = await server.request(method, `/Users/${u.id}`, body);
      // Assess
      expect(off.status).toBe(200);
      const read = await server.request('GET', `/Users/${u.id}?attributes=groups,active,displayName,emails`);
      expect(read.body).toMatchObject({ active: false, displayName: 'Dep', emails: [{ value: 'dep@example.com', type: 'work' }] });
      expect(read.body.groups).toEqual([expect.objectContaining({ value: g.body.id })]);
      const on = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', value: { active: true } }));
      expect(on.body.active).toBe(true);
      const audit = await server.store.auditRecords(new Date().toISOString().slice(0, 10));
      expect(audit.filter((a) => a.resourceId === u.id).map((a) => a.action)).toEqual(expect.arrayContaining(['deactivate', 'reactivate']));
    });
  });

  describe('groups on a User', () => {
    it('is computed from memberships, returned only when asked, ignored in a PUT and refused by PATCH (readOnly)', async () => {
      // Prepare
      const u = await newUser();
      const g1 = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `gg1-${randomUUID()}`, members: [{ value: u.id }] });
      const g2 = await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `gg2-${randomUUID()}` });
      await server.request('PATCH', `/Groups/${g2.body.id}`, patchBody({ op: 'Add', path: 'members', value: [{ value: u.id }] }));
      // Act
      const plain = await server.request('GET', `/Users/${u.id}`);
      const asked = await server.request('GET', `/Users/${u.id}?attributes=groups`);
      const put = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE], userName: u.userName, groups: [] });
      const patched = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'add', path: 'groups', value: [{ value: 'x' }] }));
      // Assess
      expect(plain.body.groups).toBeUndefined();
      expect(asked.body.groups.map((g: { value: string }) => g.value).sort()).toEqual([g1.body.id, g2.body.id].sort());
      expect(asked.body.groups[0]).toMatchObject({ $ref: expect.stringContaining('/Groups/'), display: expect.any(String) });
      expect(put.status).toBe(200);
      // RFC 7644 §3.5.2: a PATCH incompatible with readOnly fails; RFC 7643 §7: PUT ignores it.
      expect(patched.status).toBe(400);
      expect(patched.body.scimType).toBe('mutability');
      const after = await server.request('GET', `/Users/${u.id}?attributes=groups`);
      expect(after.body.groups).toHaveLength(2);
    });
  });
});

describe('/Users immutable attributes of a custom extension over HTTP', () => {
  const BADGE = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      scimConfig: { customExtensions: [{ resourceType: 'User', schema: { id: BADGE, name: 'Badge', attributes: [{ name: 'badgeId', mutability: 'immutable' }, { name: 'level', type: 'integer' }] } }] },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 400 mutability to a PUT or PATCH that changes an immutable attribute, and accepts the same value', async () => {
    // Prepare
    const u = (await server.request('POST', '/Users', { schemas: [CORE, BADGE], userName: `imm-${randomUUID()}`, [BADGE]: { badgeId: 'B1' } })).body;
    // Act
    const changedPut = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE, BADGE], userName: u.userName, [BADGE]: { badgeId: 'B2' } });
    const changedPatch = await server.request('PATCH', `/Users/${u.id}`, patchBody({ op: 'replace', path: `${BADGE}:badgeId`, value: 'B3' }));
    const samePut = await server.request('PUT', `/Users/${u.id}`, { schemas: [CORE, BADGE], userName: u.userName, [BADGE]: { badgeId: 'B1', level: 2 } });
    // Assess
    expect(changedPut.status).toBe(400);
    expect(changedPut.body.scimType).toBe('mutability');
    expect(changedPatch.status).toBe(400);
    expect(changedPatch.body.scimType).toBe('mutability');
    expect(samePut.status).toBe(200);
    expect(samePut.body[BADGE]).toEqual({ badgeId: 'B1', level: 2 });
  });
});
