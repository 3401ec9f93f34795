import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Entra sends the filter with spaces as %20 and quotes as %22 after the Tenant URL's ?aadOptscim062020. */
const entraFilter = (filter: string) => `/Users?aadOptscim062020&filter=${encodeURIComponent(filter)}`;

/**
 * The Microsoft Entra ID user flow of docs/idp-quirks.md, request by request, in the order a
 * provisioning job sends it. Each step depends on the previous ones.
 */
describe('Microsoft Entra ID user provisioning flow', () => {
  let server: TestServer;
  const upn = `Alice.Smith-${randomUUID().slice(0, 8)}@contoso.com`;
  const objectId = randomUUID();
  const mailNickname = `alice-${randomUUID().slice(0, 8)}`;
  let managerId: string;
  let userId: string;
  let groupId: string;

  /** Every request goes to the Tenant URL with Entra's feature flag appended (`?aadOptscim062020`). */
  const patch = (...Operations: unknown[]) => server.request('PATCH', `/Users/${userId}?aadOptscim062020`, { schemas: [PATCH_OP], Operations });

  beforeAll(async () => {
    server = await startTestServer();
    managerId = (await server.request('POST', '/Users', { schemas: [CORE], userName: `boss-${randomUUID()}@contoso.com`, displayName: 'The Boss' })).body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('1. Test Connection: a random GUID userName answers 200 with an empty ListResponse', async () => {
    // Act
    const r = await server.request('GET', entraFilter(`userName eq "${randomUUID()}"`));
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
  });

  it('2. Test Connection with a bad token answers 401', async () => {
    // Act
    const r = await server.request('GET', entraFilter(`userName eq "${randomUUID()}"`), undefined, { Authorization: 'Bearer not-a-token' });
    // Assess
    expect(r.status).toBe(401);
  });

  it('3. matching before create by userName and by externalId finds nobody', async () => {
    // Act
    const byName = await server.request('GET', entraFilter(`userName eq "${upn}"`));
    const byExternal = await server.request('GET', entraFilter(`externalId eq "${objectId}"`));
    // Assess
    expect(byName.body).toMatchObject({ totalResults: 0, Resources: [] });
    expect(byExternal.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('4. creates the user with the full Entra body, enterprise extension, meta and roles: []', async () => {
    // Act
    const r = await server.request('POST', '/Users?aadOptscim062020', {
      schemas: [CORE, ENTERPRISE],
      externalId: mailNickname,
      userName: upn,
      active: true,
      displayName: 'Alice Smith',
      emails: [{ primary: true, type: 'work', value: upn }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
      title: 'Engineer',
      preferredLanguage: 'en-US',
      addresses: [{ type: 'work', formatted: '1 Main St, Springfield', streetAddress: '1 Main St', locality: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', primary: true }],
      phoneNumbers: [
        { type: 'work', value: '+1 555 0100' },
        { type: 'mobile', value: '+1 555 0101' },
        { type: 'fax', value: '+1 555 0102' },
      ],
      roles: [],
      [ENTERPRISE]: { employeeNumber: '1001', department: 'Engineering', manager: managerId },
    });
    // Assess
    expect(r.status).toBe(201);
    userId = r.body.id;
    expect(r.headers.location).toBe(`${server.baseUrl}/Users/${userId}`);
    expect(r.body).toMatchObject({
      schemas: expect.arrayContaining([CORE, ENTERPRISE]),
      externalId: mailNickname,
      userName: upn,
      active: true,
      displayName: 'Alice Smith',
      emails: [{ primary: true, type: 'work', value: upn }],
      name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
      title: 'Engineer',
      preferredLanguage: 'en-US',
      phoneNumbers: [
        { type: 'work', value: '+1 555 0100' },
        { type: 'mobile', value: '+1 555 0101' },
        { type: 'fax', value: '+1 555 0102' },
      ],
      [ENTERPRISE]: { employeeNumber: '1001', department: 'Engineering', manager: { value: managerId, $ref: `${server.baseUrl}/Users/${managerId}` } },
      meta: { resourceType: 'User' },
    });
    expect(r.body.addresses[0]).toMatchObject({ type: 'work', streetAddress: '1 Main St', country: 'US' });
    expect(r.body.roles ?? []).toEqual([]);
  });

  it('5. the next cycle matches the new user at once by userName, by externalId and by work email', async () => {
    // Act
    const byName = await server.request('GET', entraFilter(`userName eq "${upn.toLowerCase()}"`));
    const byExternal = await server.request('GET', entraFilter(`externalId eq "${mailNickname}"`));
    const byEmail = await server.request('GET', entraFilter(`emails[type eq "work"].value eq "${upn}"`));
    // Assess
    for (const r of [byName, byExternal, byEmail]) {
      expect(r.status).toBe(200);
      expect(r.body.totalResults).toBe(1);
      expect(r.body.Resources[0].id).toBe(userId);
    }
  });

  it('6. a second create of the same userName answers 409 uniqueness', async () => {
    // Act
    const r = await server.request('POST', '/Users', { schemas: [CORE], userName: upn, externalId: mailNickname });
    // Assess
    expect(r.status).toBe(409);
    expect(r.body.scimType).toBe('uniqueness');
  });

  it('7. applies an attribute-update PATCH with capitalised ops and every Entra path', async () => {
    // Act
    const r = await patch(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: `new.${upn}` },
      { op: 'Replace', path: 'name.givenName', value: 'Alicia' },
      { op: 'Replace', path: 'name.familyName', value: 'Smyth' },
      { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '2 Side St' },
      { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Shelbyville' },
      { op: 'Replace', path: 'addresses[type eq "work"].region', value: 'IN' },
      { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '46176' },
      { op: 'Replace', path: 'addresses[type eq "work"].country', value: 'CA' },
      { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: '2 Side St, Shelbyville' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Research' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '1002' },
      { op: 'Replace', path: 'displayName', value: 'Alicia Smyth' },
      { op: 'Add', path: 'title', value: 'Staff Engineer' },
    );
    // Assess
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      displayName: 'Alicia Smyth',
      title: 'Staff Engineer',
      name: { givenName: 'Alicia', familyName: 'Smyth', formatted: 'Alice Smith' },
      emails: [{ primary: true, type: 'work', value: `new.${upn}` }],
      [ENTERPRISE]: { department: 'Research', employeeNumber: '1002' },
    });
    expect(r.body.addresses).toEqual([
      { type: 'work', formatted: '2 Side St, Shelbyville', streetAddress: '2 Side St', locality: 'Shelbyville', region: 'IN', postalCode: '46176', country: 'CA', primary: true },
    ]);
    expect(r.body.phoneNumbers).toEqual([
      { type: 'work', value: '+1 555 0100' },
      { type: 'mobile', value: '+1 555 0199' },
      { type: 'fax', value: '+1 555 0102' },
    ]);
    const byEmail = await server.request('GET', entraFilter(`emails[type eq "work"].value eq "new.${upn}"`));
    expect(byEmail.body.Resources.map((u: { id: string }) => u.id)).toEqual([userId]);
    const byOldEmail = await server.request('GET', entraFilter(`emails[type eq "work"].value eq "${upn}"`));
    expect(byOldEmail.body.totalResults).toBe(0);
  });

  it('8. changes the manager (object form), returns it in one stable shape, then removes it by filter', async () => {
    // Prepare
    const newBoss = (await server.request('POST', '/Users', { schemas: [CORE], userName: `boss2-${randomUUID()}@contoso.com` })).body.id;
    // Act
    const set = await patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: newBoss } });
    const again = await server.request('GET', `/Users/${userId}`);
    const removed = await patch({ op: 'Remove', path: `${ENTERPRISE}:manager[value eq "${newBoss}"]` });
    // Assess
    expect(set.status).toBe(200);
    expect(set.body[ENTERPRISE].manager).toEqual({ value: newBoss, $ref: `${server.baseUrl}/Users/${newBoss}` });
    expect(again.body[ENTERPRISE].manager).toEqual(set.body[ENTERPRISE].manager);
    expect(removed.status).toBe(200);
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
    expect(removed.body[ENTERPRISE].department).toBe('Research');
  });

  it('9. renames userName and externalId, and matching follows', async () => {
    // Prepare
    const newUpn = `alicia-${randomUUID().slice(0, 8)}@contoso.com`;
    // Act
    const r = await patch({ op: 'Replace', path: 'userName', value: newUpn }, { op: 'Replace', path: 'externalId', value: objectId });
    // Assess
    expect(r.status).toBe(200);
    expect((await server.request('GET', entraFilter(`userName eq "${newUpn}"`))).body.Resources[0].id).toBe(userId);
    expect((await server.request('GET', entraFilter(`externalId eq "${objectId}"`))).body.Resources[0].id).toBe(userId);
    expect((await server.request('GET', entraFilter(`userName eq "${upn}"`))).body.totalResults).toBe(0);
    expect((await server.request('GET', entraFilter(`externalId eq "${mailNickname}"`))).body.totalResults).toBe(0);
  });

  it('10. deactivates with the older jobs\' "False" string, keeping the user, its data and groups', async () => {
    // Prepare
    groupId = (await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Sales-${randomUUID()}`, externalId: randomUUID(), members: [] })).body.id;
    const added = await server.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ value: userId }] }] });
    expect([200, 204]).toContain(added.status);
    // Act
    const r = await patch({ op: 'Replace', path: 'active', value: 'False' });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    const read = await server.request('GET', `/Users/${userId}?attributes=active,displayName,groups,${ENTERPRISE}:department`);
    expect(read.body).toMatchObject({ active: false, displayName: 'Alicia Smyth', [ENTERPRISE]: { department: 'Research' } });
    expect(read.body.groups).toEqual([expect.objectContaining({ value: groupId })]);
    expect((await server.request('GET', entraFilter(`externalId eq "${objectId}"`))).body.totalResults).toBe(1);
  });

  it('11. restores the user with "True"', async () => {
    // Act
    const r = await patch({ op: 'Replace', path: 'active', value: 'True' });
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(true);
  });

  it('12. deactivates again with a boolean, then hard-deletes: 204, 404 afterwards, membership gone, audit kept', async () => {
    // Act
    const off = await patch({ op: 'Replace', path: 'active', value: false });
    const del = await server.request('DELETE', `/Users/${userId}?aadOptscim062020`);
    // Assess
    expect(off.body.active).toBe(false);
    expect(del.status).toBe(204);
    expect((await server.request('GET', `/Users/${userId}`)).status).toBe(404);
    expect((await server.request('GET', entraFilter(`externalId eq "${objectId}"`))).body).toMatchObject({ totalResults: 0, Resources: [] });
    const membership = await server.request('GET', `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members[value eq "${userId}"]`)}&excludedAttributes=members`);
    expect(membership.status).toBe(200);
    expect(membership.body.totalResults).toBe(0);
    const audit = await server.store.auditRecords(new Date().toISOString().slice(0, 10));
    expect(audit.filter((a) => a.resourceId === userId).map((a) => a.action)).toEqual(expect.arrayContaining(['deactivate', 'reactivate', 'delete']));
  });
});
