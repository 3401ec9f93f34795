import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const q = (filter: string) => encodeURIComponent(filter);

/** A governance tool (Veza-style) managing groups as entitlements (docs/idp-quirks.md "Governance tools"). */
describe('governance-tool group flow over HTTP', () => {
  let server: TestServer;
  let user: string;
  let other: string;
  const entitlements: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    user = (await server.request('POST', '/Users', { schemas: [USER], userName: 'leaver@corp.example', active: true })).body.id;
    other = (await server.request('POST', '/Users', { schemas: [USER], userName: 'stayer@corp.example', active: true })).body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('1. creates entitlement groups with description, groupType, externalId and members', async () => {
    // Act
    for (let i = 0; i < 7; i++) {
      const r = await server.request('POST', '/Groups', {
        schemas: [GROUP],
        displayName: `Entitlement ${i}`,
        externalId: `ent-${i}`,
        description: `Access level ${i}`,
        groupType: i % 2 ? 'Distribution' : 'Security',
        members: i < 4 ? [{ value: user, display: 'leaver@corp.example' }, { value: other }] : [{ value: other }],
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ description: `Access level ${i}`, groupType: i % 2 ? 'Distribution' : 'Security' });
      entitlements.push(r.body.id);
    }

    // Assess
    const security = await server.request('GET', `/Groups?filter=${q('groupType eq "Security"')}&excludedAttributes=members&sortBy=displayName`);
    expect(security.status).toBe(200);
    expect(security.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['Entitlement 0', 'Entitlement 2', 'Entitlement 4', 'Entitlement 6']);
  });

  it('2. deprovisions a user: active false keeps the account, then it is removed from every group it holds', async () => {
    // Act
    const off = await server.request('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    const held = await server.request('GET', `/Groups?filter=${q(`members[value eq "${user}"]`)}&excludedAttributes=members`);
    const removals = await Promise.all(held.body.Resources.map((g: { id: string }) =>
      server.request('PATCH', `/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user}"]` }] })));

    // Assess
    expect(off.status).toBe(200);
    expect(held.body.totalResults).toBe(4);
    expect(removals.map((r) => r.status)).toEqual([204, 204, 204, 204]);
    const account = await server.request('GET', `/Users/${user}?attributes=active,groups`);
    expect(account.status).toBe(200);
    expect(account.body.active).toBe(false);
    expect(account.body.groups ?? []).toEqual([]);
    expect((await server.request('GET', `/Groups?filter=${q(`members[value eq "${user}"]`)}`)).body.totalResults).toBe(0);
    const stayer = await server.request('GET', `/Users/${other}?attributes=groups`);
    expect(stayer.body.groups).toHaveLength(7);
  });

  it('3. extracts every group page by page, with members, without repeats or gaps', async () => {
    // Act
    const seen: { id: string; members?: unknown[] }[] = [];
    let total = Infinity;
    for (let start = 1; start <= total; start += 3) {
      const page = await server.request('GET', `/Groups?startIndex=${start}&count=3`);
      expect(page.status).toBe(200);
      total = page.body.totalResults;
      seen.push(...page.body.Resources);
    }

    // Assess
    expect(total).toBe(7);
    expect(seen.map((g) => g.id).sort()).toEqual([...entitlements].sort());
    expect(seen.every((g) => Array.isArray(g.members) && g.members.length === 1)).toBe(true);
  });

  it('4. reactivates the user and grants an entitlement again', async () => {
    // Act
    const on = await server.request('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: 'True' } }] });
    const grant = await server.request('PATCH', `/Groups/${entitlements[0]}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] });

    // Assess
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    expect(grant.status).toBe(204);
    const account = await server.request('GET', `/Users/${user}?attributes=groups`);
    expect(account.body.groups).toEqual([expect.objectContaining({ value: entitlements[0], display: 'Entitlement 0', type: 'direct' })]);
  });
});
