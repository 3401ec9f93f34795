import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group';

const q = (filter: string) => encodeURIComponent(filter);

/** Microsoft Entra ID's group provisioning, request by request (docs/idp-quirks.md "Microsoft Entra ID"). */
describe('Entra ID group flow over HTTP', () => {
  let server: TestServer;
  const users: string[] = [];
  let groupId: string;

  beforeAll(async () => {
    server = await startTestServer();
    for (const n of ['adele', 'alex', 'megan']) {
      const r = await server.request('POST', '/Users', { schemas: [USER], userName: `${n}@contoso.com`, externalId: n, active: true });
      expect(r.status).toBe(201);
      users.push(r.body.id);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('1. Test Connection: probing /Groups with a random displayName answers 200 and an empty ListResponse', async () => {
    // Act
    const r = await server.request('GET', `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${randomUUID()}"`)}`);

    // Assess
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(r.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('2. matching before create: displayName eq "Sales" with excludedAttributes=members finds nothing', async () => {
    // Act
    const r = await server.request('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "Sales"')}`);

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('3. creates the group with the ADSCIM schema URN, meta and members: []', async () => {
    // Act
    const r = await server.request('POST', '/Groups', {
      schemas: [GROUP, ADSCIM_GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Sales',
      meta: { resourceType: 'Group' },
      members: [],
    });

    // Assess
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ schemas: [GROUP], displayName: 'Sales', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', meta: { resourceType: 'Group' } });
    groupId = r.body.id;
  });

  it('4. the same matching query now finds the group at once (strongly consistent)', async () => {
    // Act
    const r = await server.request('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "Sales"')}`);

    // Assess
    expect(r.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId, displayName: 'Sales' }] });
    expect(r.body.Resources[0].members).toBeUndefined();
  });

  it('5. reads it by id with excludedAttributes=members', async () => {
    // Act
    const r = await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`);

    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: groupId, displayName: 'Sales', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    expect(r.body.members).toBeUndefined();
  });

  it('6. renames with a capitalised Replace of displayName', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }] });

    // Assess
    expect(r.status).toBe(204);
    const read = await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(read.body.displayName).toBe('Sales EMEA');
    expect((await server.request('GET', `/Groups?filter=${q('displayName eq "Sales"')}`)).body.totalResults).toBe(0);
  });

  it('7. adds members in one batched Add', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: users.map((value) => ({ value })) }] });

    // Assess
    expect(r.status).toBe(204);
    const read = await server.request('GET', `/Groups/${groupId}`);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([...users].sort());
  });

  it('8. checks a membership with id eq and members[value eq] and excludedAttributes=members', async () => {
    // Act
    const hit = await server.request('GET', `/Groups?filter=${q(`id eq "${groupId}" and members[value eq "${users[0]}"]`)}&excludedAttributes=members`);

    // Assess
    expect(hit.status).toBe(200);
    expect(hit.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
    expect(hit.body.Resources[0].members).toBeUndefined();
  });

  it('9. removes a member the older way: Remove of members with a value array', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: users[0] }] }] });

    // Assess
    expect(r.status).toBe(204);
    const check = await server.request('GET', `/Groups?filter=${q(`id eq "${groupId}" and members[value eq "${users[0]}"]`)}&excludedAttributes=members`);
    expect(check.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('10. removes a member the newer way: remove with members[value eq "id"]', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${users[1]}"]` }] });

    // Assess
    expect(r.status).toBe(204);
    const read = await server.request('GET', `/Groups/${groupId}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([users[2]]);
  });

  it('11. a retried Remove of a member already gone is not an error', async () => {
    // Act
    const r = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${users[1]}"]` }] });

    // Assess
    expect(r.status).toBe(204);
  });

  it('12. deletes the group; reads answer 404 and the user no longer lists it', async () => {
    // Act
    const r = await server.request('DELETE', `/Groups/${groupId}`);

    // Assess
    expect(r.status).toBe(204);
    expect((await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`)).status).toBe(404);
    const user = await server.request('GET', `/Users/${users[2]}?attributes=groups`);
    expect(user.body.groups ?? []).toEqual([]);
  });
});
