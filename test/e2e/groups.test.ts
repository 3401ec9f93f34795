import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('/Groups over HTTP: resource, filters, uniqueness, errors', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  const createUser = async (userName: string): Promise<string> => {
    const r = await server.request('POST', '/Users', { schemas: [USER], userName });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const createGroup = async (body: Record<string, unknown>) => server.request('POST', '/Groups', { schemas: [GROUP], ...body });

  beforeAll(async () => {
    server = await startTestServer();
    alice = await createUser('alice@example.com');
    bob = await createUser('bob@example.com');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('declares displayName, externalId, members, description and groupType in the core Group schema', async () => {
    // Act
    const r = await server.request('GET', `/Schemas/${GROUP}`);

    // Assess
    expect(r.status).toBe(200);
    const names = r.body.attributes.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['displayName', 'members', 'description', 'groupType']));
    const members = r.body.attributes.find((a: { name: string }) => a.name === 'members');
    expect(members.subAttributes.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['value', 'type', 'display']));
    const rt = await server.request('GET', '/ResourceTypes/Group');
    expect(rt.body).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP });
  });

  it('creates a group with every attribute and members, and reads it back with $ref and type', async () => {
    // Act
    const created = await createGroup({
      displayName: 'Engineering',
      externalId: 'ext-eng',
      description: 'All engineers',
      groupType: 'Security',
      members: [{ value: alice, display: 'Alice' }, { value: bob, type: 'User' }],
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${server.baseUrl}/Groups/${created.body.id}`);
    expect(created.headers.etag).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({ schemas: [GROUP], displayName: 'Engineering', externalId: 'ext-eng', description: 'All engineers', groupType: 'Security', meta: { resourceType: 'Group' } });
    const read = await server.request('GET', `/Groups/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.members).toHaveLength(2);
    expect(read.body.members).toEqual(expect.arrayContaining([
      { value: alice, $ref: `${server.baseUrl}/Users/${alice}`, type: 'User', display: 'Alice' },
      { value: bob, $ref: `${server.baseUrl}/Users/${bob}`, type: 'User' },
    ]));
  });

  it('answers excludedAttributes=members and attributes=displayName projections', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Projection', members: [{ value: alice }] });

    // Act
    const excluded = await server.request('GET', `/Groups/${g.body.id}?excludedAttributes=members`);
    const only = await server.request('GET', `/Groups/${g.body.id}?attributes=displayName`);

    // Assess
    expect(excluded.status).toBe(200);
    expect(excluded.body.members).toBeUndefined();
    expect(excluded.body.displayName).toBe('Projection');
    expect(only.body).toMatchObject({ schemas: [GROUP], id: g.body.id, displayName: 'Projection' });
    expect(only.body.members).toBeUndefined();
  });

  it('refuses a second group with the same displayName in another case with 409 uniqueness', async () => {
    // Prepare
    expect((await createGroup({ displayName: 'Finance' })).status).toBe(201);

    // Act
    const dup = await createGroup({ displayName: 'FINANCE' });

    // Assess
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
  });

  it('lets exactly one of 15 concurrent creates of the same displayName win', async () => {
    // Act
    const replies = await Promise.all(Array.from({ length: 15 }, (_, i) => createGroup({ displayName: i % 2 ? 'Race' : 'race' })));

    // Assess
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(14);
    const found = await server.request('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "RACE"'));
    expect(found.body.totalResults).toBe(1);
  });

  it('lets exactly one of 12 concurrent renames to the same displayName win', async () => {
    // Prepare
    const ids = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await createGroup({ displayName: `Rename source ${i}` })).body.id as string));

    // Act
    const replies = await Promise.all(ids.map((id) => server.request('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Rename target' }] })));

    // Assess
    expect(replies.filter((r) => r.status === 204)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.scimType === 'uniqueness')).toBe(true);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(11);
    const found = await server.request('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "rename target"'));
    expect(found.body.totalResults).toBe(1);
  });

  it('finds groups by displayName eq (case-insensitively) and externalId eq, as ListResponses', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Support Team', externalId: 'ext-support' });

    // Act
    const byName = await server.request('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "support team"') + '&excludedAttributes=members');
    const byExt = await server.request('POST', '/Groups/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'externalId eq "ext-support"' });
    const none = await server.request('GET', '/Groups?filter=' + encodeURIComponent('displayName eq "nobody"'));

    // Assess
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ schemas: [LIST], totalResults: 1, Resources: [{ id: g.body.id, displayName: 'Support Team' }] });
    expect(byName.body.Resources[0].members).toBeUndefined();
    expect(byExt.status).toBe(200);
    expect(byExt.body.Resources.map((r: { id: string }) => r.id)).toEqual([g.body.id]);
    expect(none.body).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });
  });

  it('finds the groups holding a member with members[value eq] and checks one membership with id eq and members[value eq]', async () => {
    // Prepare
    const carol = await createUser('carol@example.com');
    const g1 = await createGroup({ displayName: 'Carol one', members: [{ value: carol }] });
    const g2 = await createGroup({ displayName: 'Carol two', members: [{ value: carol }, { value: alice }] });
    const g3 = await createGroup({ displayName: 'Not carol', members: [{ value: alice }] });

    // Act
    const holding = await server.request('GET', '/Groups?filter=' + encodeURIComponent(`members[value eq "${carol}"]`) + '&excludedAttributes=members');
    const isMember = await server.request('GET', '/Groups?filter=' + encodeURIComponent(`id eq "${g2.body.id}" and members[value eq "${carol}"]`) + '&excludedAttributes=members');
    const notMember = await server.request('GET', '/Groups?filter=' + encodeURIComponent(`id eq "${g3.body.id}" and members[value eq "${carol}"]`) + '&excludedAttributes=members');

    // Assess
    expect(holding.status).toBe(200);
    expect(holding.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual([g1.body.id, g2.body.id].sort());
    expect(holding.body.Resources.every((r: Record<string, unknown>) => r.members === undefined)).toBe(true);
    expect(isMember.body).toMatchObject({ totalResults: 1, Resources: [{ id: g2.body.id, displayName: 'Carol two' }] });
    expect(isMember.body.Resources[0].members).toBeUndefined();
    expect(notMember.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('sorts by displayName and pages with startIndex and count', async () => {
    // Prepare
    for (const n of ['Sort c', 'sort A', 'Sort b']) expect((await createGroup({ displayName: n })).status).toBe(201);
    const filter = encodeURIComponent('displayName sw "sort "');

    // Act
    const asc = await server.request('GET', `/Groups?filter=${filter}&sortBy=displayName&excludedAttributes=members`);
    const desc = await server.request('GET', `/Groups?filter=${filter}&sortBy=displayName&sortOrder=descending&attributes=displayName`);
    const page2 = await server.request('GET', `/Groups?filter=${filter}&sortBy=displayName&startIndex=2&count=1`);

    // Assess
    expect(asc.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['sort A', 'Sort b', 'Sort c']);
    expect(desc.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Sort c', 'Sort b', 'sort A']);
    expect(page2.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1, Resources: [{ displayName: 'Sort b' }] });
  });

  it('pages through all groups with startIndex and count without repeats or gaps', async () => {
    // Prepare
    const all = await server.request('GET', '/Groups?count=0');
    const total = all.body.totalResults as number;

    // Act
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 4) {
      const page = await server.request('GET', `/Groups?startIndex=${start}&count=4&excludedAttributes=members`);
      expect(page.status).toBe(200);
      expect(page.body.totalResults).toBe(total);
      seen.push(...page.body.Resources.map((r: { id: string }) => r.id));
    }

    // Assess
    expect(total).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(total);
  });

  it('replaces a group with PUT: attributes absent are cleared, members become exactly the given ones', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Put me', description: 'old', members: [{ value: alice }] });

    // Act
    const put = await server.request('PUT', `/Groups/${g.body.id}`, { schemas: [GROUP], displayName: 'Put me renamed', members: [{ value: bob }] });

    // Assess
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe('Put me renamed');
    expect(put.body.description).toBeUndefined();
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([bob]);
    expect(put.headers.etag).not.toBe(g.headers.etag);
  });

  it('deletes a group: 204, then 404 on GET, PATCH and DELETE', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Doomed', members: [{ value: alice }] });

    // Act
    const del = await server.request('DELETE', `/Groups/${g.body.id}`);

    // Assess
    expect(del.status).toBe(204);
    for (const [method, body] of [['GET'], ['DELETE'], ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }]] as const) {
      const r = await server.request(method, `/Groups/${g.body.id}`, body);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '404' });
    }
    const reuse = await createGroup({ displayName: 'doomed' });
    expect(reuse.status).toBe(201);
  });

  it('honours If-Match on PATCH and If-None-Match on GET', async () => {
    // Prepare
    const g = await createGroup({ displayName: 'Etag group' });
    const op = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'description', value: 'v2' }] };

    // Act
    const stale = await server.request('PATCH', `/Groups/${g.body.id}`, op, { 'If-Match': 'W/"999"' });
    const fresh = await server.request('PATCH', `/Groups/${g.body.id}`, op, { 'If-Match': g.headers.etag });
    const notModified = await server.request('GET', `/Groups/${g.body.id}`, undefined, { 'If-None-Match': fresh.headers.etag });

    // Assess
    expect(stale.status).toBe(412);
    expect(fresh.status).toBe(204);
    expect(notModified.status).toBe(304);
  });

  it('answers GET /Groups/.search with 405 and Allow: POST, not a 404 for a group called .search', async () => {
    const r = await server.request('GET', '/Groups/.search');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('accepts on %s an If-Match listing several tags when any one is current', async (method) => {
    // Prepare
    const g = await createGroup({ displayName: `Tags ${method}` });
    const body =
      method === 'PUT'
        ? { schemas: [GROUP], displayName: `Tags ${method} v2` }
        : method === 'PATCH'
          ? { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'description', value: 'v2' }] }
          : undefined;
    // Act
    const r = await server.request(method, `/Groups/${g.body.id}`, body, { 'If-Match': `W/"998", ${g.headers.etag}, W/"999"` });
    // Assess
    expect(r.status).toBeLessThan(300);
  });

  it.each([
    ['a group without displayName', 'POST', '', { schemas: [GROUP] }, 'invalidValue'],
    ['a displayName that is an object', 'POST', '', { schemas: [GROUP], displayName: { a: 1 } }, undefined],
    ['members that are not objects', 'POST', '', { schemas: [GROUP], displayName: 'Bad members', members: 'x' }, undefined],
    ['a member without value', 'POST', '', { schemas: [GROUP], displayName: 'Bad member', members: [{ display: 'x' }] }, 'invalidValue'],
    ['a member that does not exist', 'POST', '', { schemas: [GROUP], displayName: 'Ghost member', members: [{ value: 'no-such-id' }] }, 'invalidValue'],
    ['a body that is not JSON', 'POST', '', '{"displayName":', 'invalidSyntax'],
    ['a body that is an array', 'POST', '', '[]', undefined],
    ['a filter that does not parse', 'GET', '?filter=' + encodeURIComponent('displayName eq'), undefined, 'invalidFilter'],
    ['a members filter other than value eq', 'GET', '?filter=' + encodeURIComponent('members[display eq "x"]'), undefined, 'invalidFilter'],
    ['a members filter ORed with another condition', 'GET', '?filter=' + encodeURIComponent('members[value eq "a"] or displayName eq "b"'), undefined, 'invalidFilter'],
    ['an unknown sortBy', 'GET', '?sortBy=nope', undefined, 'invalidValue'],
  ])('answers 400 with a SCIM error for %s', async (_name, method, suffix, body, scimType) => {
    // Act
    const r = await server.request(method, `/Groups${suffix}`, body);

    // Assess
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '400' });
    if (scimType) expect(r.body.scimType).toBe(scimType);
    expect(typeof r.body.detail).toBe('string');
  });

  it.each([
    ['an unknown op', { schemas: [PATCH_OP], Operations: [{ op: 'merge', path: 'displayName', value: 'x' }] }],
    ['no Operations', { schemas: [PATCH_OP] }],
    ['a member sub-attribute path', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members.display', value: 'x' }] }],
    ['an add of members without value', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members' }] }],
    ['a member value that is a number', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 7 }] }] }],
    ['a remove of displayName (required)', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'displayName' }] }],
    ['a members filter on display', { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members[display eq "x"]' }] }],
    ['an unknown attribute path', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nope', value: 'x' }] }],
    ['a different id in a no-path replace', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: 'other-id', displayName: 'x' } }] }],
  ])('answers a PATCH with %s with a SCIM 400, never a 500', async (_name, body) => {
    // Prepare
    const g = await createGroup({ displayName: `Patch errors ${_name}` });

    // Act
    const r = await server.request('PATCH', `/Groups/${g.body.id}`, body);

    // Assess
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '400' });
    expect(typeof r.body.scimType).toBe('string');
  });
});
