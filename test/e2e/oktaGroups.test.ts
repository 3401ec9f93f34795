import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const q = (filter: string) => encodeURIComponent(filter);

/** Okta Group Push, request by request (docs/idp-quirks.md "Okta"). */
describe('Okta Group Push flow over HTTP', () => {
  let server: TestServer;
  const users: { id: string; display: string }[] = [];
  let groupId: string;
  const memberValues = async () => {
    const r = await server.request('GET', `/Groups/${groupId}`);
    expect(r.status).toBe(200);
    return ((r.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (const n of ['isaac', 'jane', 'kim', 'lee']) {
      const r = await server.request('POST', '/Users', { schemas: [USER], userName: `${n}@example.com`, name: { givenName: n, familyName: 'Doe' }, groups: [], active: true });
      expect(r.status).toBe(201);
      users.push({ id: r.body.id, display: `${n}@example.com` });
    }
    for (let i = 0; i < 5; i++) expect((await server.request('POST', '/Groups', { schemas: [GROUP], displayName: `Existing ${i}` })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('1. looks the group up by displayName before pushing: none yet', async () => {
    // Act
    const r = await server.request('GET', `/Groups?filter=${q('displayName eq "Okta Pushed"')}&startIndex=1&count=100`);

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('2. creates the group with members as {value, display}', async () => {
    // Act
    const r = await server.request('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Okta Pushed',
      members: users.slice(0, 2).map((u) => ({ value: u.id, display: u.display })),
    });

    // Assess
    expect(r.status).toBe(201);
    expect(r.body.displayName).toBe('Okta Pushed');
    expect(r.body.members).toEqual(expect.arrayContaining(users.slice(0, 2).map((u) => expect.objectContaining({ value: u.id, display: u.display, type: 'User' }))));
    groupId = r.body.id;
  });

  it('3. a second push of the same displayName answers 409 uniqueness', async () => {
    // Act
    const r = await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'okta pushed', members: [] });

    // Assess
    expect(r.status).toBe(409);
    expect(r.body.scimType).toBe('uniqueness');
  });

  it('4. finds it by displayName and pages through all groups with startIndex and count', async () => {
    // Act
    const found = await server.request('GET', `/Groups?filter=${q('displayName eq "Okta Pushed"')}&startIndex=1&count=100`);
    const page1 = await server.request('GET', '/Groups?startIndex=1&count=4');
    const page2 = await server.request('GET', '/Groups?startIndex=5&count=4');

    // Assess
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
    expect(page1.body).toMatchObject({ totalResults: 6, startIndex: 1, itemsPerPage: 4 });
    expect(page2.body).toMatchObject({ totalResults: 6, startIndex: 5, itemsPerPage: 2 });
    const ids = [...page1.body.Resources, ...page2.body.Resources].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toContain(groupId);
  });

  it('5. renames with a no-path replace carrying the group id in the value', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Okta Renamed' } }] });

    // Assess
    expect(r.status).toBe(204);
    expect((await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`)).body.displayName).toBe('Okta Renamed');
    expect(await memberValues()).toEqual(users.slice(0, 2).map((u) => u.id).sort());
  });

  it('6. adds a member with add of members [{value, display}]', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[2].id, display: users[2].display }] }] });

    // Assess
    expect(r.status).toBe(204);
    expect(await memberValues()).toEqual(users.slice(0, 3).map((u) => u.id).sort());
  });

  it('7. removes a member with members[value eq "id"]', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${users[0].id}"]` }] });

    // Assess
    expect(r.status).toBe(204);
    expect(await memberValues()).toEqual([users[1].id, users[2].id].sort());
  });

  it('8. replaces the whole member list with replace of members', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [users[2], users[3]].map((u) => ({ value: u.id, display: u.display })) }] });

    // Assess
    expect(r.status).toBe(204);
    expect(await memberValues()).toEqual([users[2].id, users[3].id].sort());
  });

  it('9. replaces the group with PUT (id and meta in the body are ignored)', async () => {
    // Act
    const r = await server.request('PUT', `/Groups/${groupId}`, {
      schemas: [GROUP],
      id: groupId,
      displayName: 'Okta Renamed',
      members: [{ value: users[0].id, display: users[0].display }],
      meta: { resourceType: 'Group' },
    });

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: groupId, displayName: 'Okta Renamed', members: [expect.objectContaining({ value: users[0].id })] });
    expect(await memberValues()).toEqual([users[0].id]);
  });

  it('10. replace of members with an empty list leaves the group empty', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [] }] });

    // Assess
    expect(r.status).toBe(204);
    expect(await memberValues()).toEqual([]);
  });

  it('11. deletes the group: 204, then 404, and the name is free again', async () => {
    // Act
    const r = await server.request('DELETE', `/Groups/${groupId}`);

    // Assess
    expect(r.status).toBe(204);
    expect((await server.request('GET', `/Groups/${groupId}`)).status).toBe(404);
    expect((await server.request('GET', `/Groups?filter=${q('displayName eq "Okta Renamed"')}`)).body.totalResults).toBe(0);
  });
});
