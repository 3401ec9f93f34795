import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const PRELOADED = 7;

/**
 * The Okta user flow of docs/idp-quirks.md, request by request: import paging, matching, create with
 * password and groups: [], profile updates by PUT, deactivate/reactivate by no-path PATCH,
 * password change. Okta never hard-deletes users. Each step depends on the previous ones.
 */
describe('Okta user provisioning flow', () => {
  let server: TestServer;
  const userName = `bob.jones-${randomUUID().slice(0, 8)}@example.com`;
  let user: Record<string, unknown> & { id: string; meta: { version: string; created: string } };
  let groupId: string;

  beforeAll(async () => {
    server = await startTestServer({ scimConfig: { maxPageSize: 100 } });
    for (let i = 0; i < PRELOADED; i++) {
      expect((await server.request('POST', '/Users', { schemas: [CORE], userName: `existing${i}@example.com`, active: true })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('1. imports existing users page by page until totalResults is reached', async () => {
    // Act
    const seen: string[] = [];
    let startIndex = 1;
    let total = Infinity;
    while (startIndex <= total) {
      const r = await server.request('GET', `/Users?startIndex=${startIndex}&count=3`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ schemas: [LIST], startIndex });
      total = r.body.totalResults;
      seen.push(...r.body.Resources.map((u: { userName: string }) => u.userName));
      if (r.body.Resources.length === 0) break;
      startIndex += r.body.Resources.length;
    }
    // Assess
    expect(total).toBe(PRELOADED);
    expect(seen.sort()).toEqual(Array.from({ length: PRELOADED }, (_, i) => `existing${i}@example.com`).sort());
  });

  it('2. the connectivity check GET /Users?startIndex=1&count=100 answers a ListResponse', async () => {
    // Act
    const r = await server.request('GET', '/Users?startIndex=1&count=100');
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: PRELOADED, itemsPerPage: PRELOADED, startIndex: 1 });
  });

  it('3. matching by userName finds nobody yet', async () => {
    // Act
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('4. creates the user with password, groups: [] and locale; the password is never returned', async () => {
    // Act
    const r = await server.request('POST', '/Users', {
      schemas: [CORE],
      userName,
      name: { givenName: 'Bob', familyName: 'Jones' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Bob Jones',
      locale: 'en-US',
      externalId: '00u1abcdEFGH',
      groups: [],
      password: 'Tr0ub4dor&3',
      active: true,
    });
    // Assess
    expect(r.status).toBe(201);
    user = r.body;
    expect(r.body).toMatchObject({
      userName,
      name: { givenName: 'Bob', familyName: 'Jones' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Bob Jones',
      locale: 'en-US',
      externalId: '00u1abcdEFGH',
      active: true,
    });
    expect(r.body.password).toBeUndefined();
    expect(r.body.groups).toBeUndefined();
    expect(r.headers.etag).toBe(r.body.meta.version);
  });

  it('5. a retried create answers 409 uniqueness, which Okta reads as "exists"', async () => {
    // Act
    const r = await server.request('POST', '/Users', { schemas: [CORE], userName: userName.toUpperCase(), password: 'x' });
    // Assess
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('6. matching by userName now finds the user', async () => {
    // Act
    const r = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    // Assess
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources[0]).toMatchObject({ id: user.id, userName });
  });

  it('7. a PUT profile update replaces the resource: absent attributes cleared, password kept', async () => {
    // Prepare
    const hashBefore = (await server.store.getUser(user.id))?.data.password;
    groupId = (await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Okta-${randomUUID()}`, members: [{ value: user.id }] })).body.id;
    // Act
    const r = await server.request('PUT', `/Users/${user.id}`, {
      schemas: [CORE],
      id: user.id,
      userName,
      name: { givenName: 'Robert', familyName: 'Jones' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Robert Jones',
      externalId: '00u1abcdEFGH',
      groups: [],
      active: true,
    });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: user.id, name: { givenName: 'Robert', familyName: 'Jones' }, displayName: 'Robert Jones', active: true });
    expect(r.body.locale).toBeUndefined();
    expect(r.body.password).toBeUndefined();
    expect(r.body.meta.created).toBe(user.meta.created);
    expect(r.body.meta.version).not.toBe(user.meta.version);
    expect((await server.store.getUser(user.id))?.data.password).toBe(hashBefore);
    const groups = await server.request('GET', `/Users/${user.id}?attributes=groups`);
    expect(groups.body.groups).toEqual([expect.objectContaining({ value: groupId })]);
  });

  it('8. deactivates by a no-path replace of active, keeping profile and groups', async () => {
    // Act
    const r = await server.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: user.id, active: false, displayName: 'Robert Jones', userName });
    const read = await server.request('GET', `/Users/${user.id}?attributes=active,groups`);
    expect(read.body.active).toBe(false);
    expect(read.body.groups).toEqual([expect.objectContaining({ value: groupId })]);
  });

  it('9. reactivates the same way', async () => {
    // Act
    const r = await server.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(true);
  });

  it('10. changes the password by a no-path replace: stored as a new hash, never returned', async () => {
    // Prepare
    const before = (await server.store.getUser(user.id))?.data.password;
    // Act
    const r = await server.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password: 'c0rrect-h0rse' } }] });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.password).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain('c0rrect-h0rse');
    const after = (await server.store.getUser(user.id))?.data.password;
    expect(after).toMatch(/^scrypt\$/);
    expect(after).not.toBe(before);
    expect(JSON.stringify(await server.store.getUser(user.id))).not.toContain('c0rrect-h0rse');
  });

  it('11. the import still lists every user, the new one included, with a single page of count=100', async () => {
    // Act
    const r = await server.request('GET', '/Users?startIndex=1&count=100');
    // Assess
    expect(r.body.totalResults).toBe(PRELOADED + 1);
    expect(r.body.Resources.map((u: { id: string }) => u.id)).toContain(user.id);
    expect(r.body.Resources.every((u: Record<string, unknown>) => u.password === undefined)).toBe(true);
  });
});
