import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const MAX_PAGE = 5;
const N = 12;

const q = (filter: string) => encodeURIComponent(filter);
const names = (body: { Resources: { userName: string }[] }) => body.Resources.map((r) => r.userName);

describe('/Users lists, filters and paging over HTTP', () => {
  let server: TestServer;
  // Created in this order; display names sort in the reverse order.
  const users: { id: string; userName: string; externalId: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer({ scimConfig: { maxPageSize: MAX_PAGE }, maxScanItems: 50 });
    for (let i = 0; i < N; i++) {
      const n = String(i).padStart(2, '0');
      const r = await server.request('POST', '/Users', {
        schemas: [CORE],
        userName: `q${n}@example.com`,
        externalId: `ext-${n}`,
        displayName: `Person ${String.fromCharCode(90 - i)}`,
        title: i % 2 === 0 ? 'Engineer' : 'Manager',
        emails: [
          { type: 'work', value: `q${n}@work.example`, primary: true },
          { type: 'home', value: `q${n}@home.example` },
        ],
      });
      expect(r.status).toBe(201);
      users.push(r.body);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('filters', () => {
    it.each([
      ['userName eq', 'userName eq "q03@example.com"'],
      ['userName eq in another case', 'UserName eq "Q03@EXAMPLE.COM"'],
      ['externalId eq', 'externalId eq "ext-03"'],
      ['emails[type eq "work"].value eq', 'emails[type eq "work"].value eq "q03@work.example"'],
      ['emails.value eq (a home address)', 'emails.value eq "q03@home.example"'],
      ['eq joined by and', 'userName eq "q03@example.com" and externalId eq "ext-03"'],
      ['attribute names in another case', 'Emails[Type eq "work"].Value eq "Q03@WORK.EXAMPLE"'],
      ['a schema-URN-qualified userName', 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "q03@example.com"'],
      ['eq joined by or with one match', 'userName eq "q03@example.com" or userName eq "nobody@example.com"'],
    ])('finds exactly one user by %s', async (_name, filter) => {
      // Act
      const r = await server.request('GET', `/Users?filter=${q(filter)}`);
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 1, itemsPerPage: 1, startIndex: 1 });
      expect(r.body.Resources).toEqual([expect.objectContaining({ id: users[3].id, userName: 'q03@example.com' })]);
    });

    it('finds a user by userName, externalId and work email a moment after creating it', async () => {
      // Prepare
      const userName = `fresh-${randomUUID()}@example.com`;
      const externalId = randomUUID();
      // Act
      const created = await server.request('POST', '/Users', { schemas: [CORE], userName, externalId, emails: [{ type: 'work', value: userName }] });
      const [byName, byExt, byEmail] = await Promise.all([
        server.request('GET', `/Users?filter=${q(`userName eq "${userName}"`)}`),
        server.request('GET', `/Users?filter=${q(`externalId eq "${externalId}"`)}`),
        server.request('GET', `/Users?filter=${q(`emails[type eq "work"].value eq "${userName}"`)}`),
      ]);
      // Assess
      for (const r of [byName, byExt, byEmail]) expect(r.body.Resources.map((x: { id: string }) => x.id)).toEqual([created.body.id]);
      await server.request('DELETE', `/Users/${created.body.id}`);
    });

    it('does not find a user by emails[type eq "work"] through its home address', async () => {
      // Act
      const r = await server.request('GET', `/Users?filter=${q('emails[type eq "work"].value eq "q03@home.example"')}`);
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
    });

    it('answers Entra\'s Test Connection (a random GUID userName) with an empty ListResponse', async () => {
      // Act
      const r = await server.request('GET', `/Users?filter=${q(`userName eq "${randomUUID()}"`)}`);
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
    });

    it('ignores unknown query parameters such as ?aadOptscim062020', async () => {
      // Act
      const r = await server.request('GET', `/Users?aadOptscim062020&filter=${q('userName eq "q01@example.com"')}`);
      // Assess
      expect(r.status).toBe(200);
      expect(names(r.body)).toEqual(['q01@example.com']);
    });

    it('serves non-indexed filters (co, sw, pr, not, or) within the store\'s bound', async () => {
      // Act
      const managers = await server.request('GET', `/Users?filter=${q('title eq "Manager"')}&count=5`);
      const co = await server.request('GET', `/Users?filter=${q('userName co "q1"')}`);
      const or = await server.request('GET', `/Users?filter=${q('userName eq "q00@example.com" or displayName sw "Person Y"')}`);
      const not = await server.request('GET', `/Users?filter=${q('not (title eq "Manager") and userName sw "q0"')}`);
      // Assess
      expect(managers.body.totalResults).toBe(N / 2);
      expect(managers.body.Resources).toHaveLength(5);
      expect(names(co.body).sort()).toEqual(['q10@example.com', 'q11@example.com']);
      expect(names(or.body).sort()).toEqual(['q00@example.com', 'q01@example.com']);
      expect(names(not.body).sort()).toEqual(['q00@example.com', 'q02@example.com', 'q04@example.com', 'q06@example.com', 'q08@example.com']);
    });

    it.each([
      ['a syntax error', 'userName eq'],
      ['an unknown operator', 'userName like "x"'],
      ['an unterminated string', 'userName eq "x'],
      ['an unknown attribute', 'shoeSize eq "42"'],
      ['a filter on groups', 'groups.value eq "g"'],
      ['a filter on password', 'password eq "x"'],
    ])('answers 400 invalidFilter to %s', async (_name, filter) => {
      // Act
      const r = await server.request('GET', `/Users?filter=${q(filter)}`);
      // Assess
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
      expect(typeof r.body.detail).toBe('string');
    });
  });

  describe('attributes, sorting and paging', () => {
    it('projects list results with attributes and excludedAttributes', async () => {
      // Act
      const only = await server.request('GET', `/Users?filter=${q('externalId eq "ext-01"')}&attributes=userName`);
      const without = await server.request('GET', `/Users?filter=${q('externalId eq "ext-01"')}&excludedAttributes=emails,title`);
      // Assess
      // meta is returned always (issue 4 decision), like id and schemas.
      expect(only.body.Resources).toEqual([{ schemas: [CORE], id: users[1].id, userName: 'q01@example.com', meta: expect.objectContaining({ resourceType: 'User' }) }]);
      expect(without.body.Resources[0].emails).toBeUndefined();
      expect(without.body.Resources[0].title).toBeUndefined();
      expect(without.body.Resources[0].displayName).toBe('Person Y');
    });

    it('sorts by displayName ascending and descending', async () => {
      // Act
      const asc = await server.request('GET', `/Users?sortBy=displayName&count=3`);
      const desc = await server.request('GET', `/Users?sortBy=displayName&sortOrder=descending&count=3`);
      // Assess
      expect(asc.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Person O', 'Person P', 'Person Q']);
      expect(desc.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Person Z', 'Person Y', 'Person X']);
      expect(asc.body.totalResults).toBe(N);
    });

    it('answers 400 to sortBy of an unknown attribute', async () => {
      // Act
      const r = await server.request('GET', '/Users?sortBy=shoeSize');
      // Assess
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe('invalidValue');
    });

    it('pages with startIndex and count through every user exactly once', async () => {
      // Act
      const seen: string[] = [];
      for (let start = 1; start <= N; start += 4) {
        const r = await server.request('GET', `/Users?startIndex=${start}&count=4`);
        expect(r.body).toMatchObject({ totalResults: N, startIndex: start, itemsPerPage: 4 });
        seen.push(...names(r.body));
      }
      // Assess
      expect(seen).toEqual(users.map((u) => u.userName));
    });

    it('answers count=0 with totalResults only', async () => {
      // Act
      const r = await server.request('GET', '/Users?count=0');
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ totalResults: N, itemsPerPage: 0, Resources: [] });
    });

    it('clamps count to the advertised maximum page size', async () => {
      // Act
      const r = await server.request('GET', '/Users?count=1000');
      const spc = await server.request('GET', '/ServiceProviderConfig');
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.Resources).toHaveLength(MAX_PAGE);
      expect(r.body.totalResults).toBe(N);
      expect(spc.body.filter.maxResults).toBe(MAX_PAGE);
    });

    it('answers an empty page past the end and treats startIndex below 1 as 1', async () => {
      // Act
      const past = await server.request('GET', `/Users?startIndex=${N + 10}&count=3`);
      const zero = await server.request('GET', '/Users?startIndex=0&count=1');
      // Assess
      expect(past.body).toMatchObject({ totalResults: N, itemsPerPage: 0, Resources: [] });
      expect(names(zero.body)).toEqual([users[0].userName]);
    });

    it('answers 400 invalidValue to a non-integer count', async () => {
      // Act
      const r = await server.request('GET', '/Users?count=many');
      // Assess
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe('invalidValue');
    });

    it('pages with RFC 9865 cursors: an empty cursor starts, nextCursor continues, the last page has none', async () => {
      // Act
      const seen: string[] = [];
      let cursor = '';
      let pages = 0;
      for (;;) {
        const r = await server.request('GET', `/Users?cursor=${encodeURIComponent(cursor)}&count=5`);
        expect(r.status).toBe(200);
        expect(r.body.totalResults).toBe(N);
        expect(r.body.startIndex).toBeUndefined();
        seen.push(...names(r.body));
        pages++;
        if (!r.body.nextCursor) break;
        cursor = r.body.nextCursor;
      }
      // Assess
      expect(pages).toBe(3);
      expect(seen).toEqual(users.map((u) => u.userName));
    });

    it('pages a filtered, sorted query with cursors in sort order', async () => {
      // Act
      const seen: string[] = [];
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const r = await server.request('GET', `/Users?filter=${q('title eq "Manager"')}&sortBy=userName&sortOrder=descending&cursor=${encodeURIComponent(cursor)}&count=2`);
        expect(r.status).toBe(200);
        expect(r.body.totalResults).toBe(N / 2);
        seen.push(...names(r.body));
        if (!r.body.nextCursor) break;
        cursor = r.body.nextCursor;
      }
      // Assess
      expect(seen).toEqual(['q11@example.com', 'q09@example.com', 'q07@example.com', 'q05@example.com', 'q03@example.com', 'q01@example.com']);
    });

    it('answers 400 to a cursor it did not issue', async () => {
      // Act
      const r = await server.request('GET', '/Users?cursor=garbage-cursor&count=5');
      // Assess
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: '400' });
      expect(['invalidCursor', 'invalidValue']).toContain(r.body.scimType);
    });
  });

  describe('POST /Users/.search and POST /.search', () => {
    it('answers a SearchRequest on /Users/.search like the GET', async () => {
      // Act
      const r = await server.request('POST', '/Users/.search', {
        schemas: [SEARCH],
        filter: 'title eq "Engineer"',
        attributes: ['userName'],
        sortBy: 'userName',
        sortOrder: 'descending',
        startIndex: 2,
        count: 2,
      });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ schemas: [LIST], totalResults: N / 2, startIndex: 2, itemsPerPage: 2 });
      expect(r.body.Resources.map((x: object) => Object.keys(x).sort())).toEqual([0, 1].map(() => ['id', 'meta', 'schemas', 'userName']));
      expect(r.body.Resources.map((x: { id: string }) => x.id)).toEqual([users[8].id, users[6].id]);
    });

    it('pages /Users/.search with cursors', async () => {
      // Act
      const first = await server.request('POST', '/Users/.search', { schemas: [SEARCH], cursor: '', count: 5 });
      const second = await server.request('POST', '/Users/.search', { schemas: [SEARCH], cursor: first.body.nextCursor, count: 5 });
      // Assess
      expect(names(first.body)).toEqual(users.slice(0, 5).map((u) => u.userName));
      expect(names(second.body)).toEqual(users.slice(5, 10).map((u) => u.userName));
    });

    it('finds users across types on POST /.search', async () => {
      // Act
      const r = await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'userName eq "q05@example.com"' });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body.totalResults).toBe(1);
      expect(r.body.Resources[0]).toMatchObject({ id: users[5].id, meta: { resourceType: 'User' } });
    });

    it('pages POST /.search over Users then Groups with startIndex and count', async () => {
      // Prepare
      for (const name of ['Search A', 'Search B']) {
        expect((await server.request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `${name} ${randomUUID()}` })).status).toBe(201);
      }
      // Act
      const r = await server.request('POST', '/.search', { schemas: [SEARCH], startIndex: N - 1, count: 4 });
      const cursor = await server.request('POST', '/.search', { schemas: [SEARCH], cursor: '' });
      // Assess
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ totalResults: N + 2, startIndex: N - 1, itemsPerPage: 4 });
      expect(r.body.Resources.map((x: { meta: { resourceType: string } }) => x.meta.resourceType)).toEqual(['User', 'User', 'Group', 'Group']);
      expect(r.body.Resources.slice(0, 2).map((x: { id: string }) => x.id)).toEqual(users.slice(N - 2).map((u) => u.id));
      expect(cursor.status).toBe(400);
    });

    it('answers POST /.search with a filter on an attribute only Groups have with an empty list of Users, and one no type has with 400', async () => {
      // Act
      const groupOnly = await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'members[value eq "nobody"]' });
      const nobody = await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'shoeSize eq "42"' });
      // Assess
      expect(groupOnly.status).toBe(200);
      expect(groupOnly.body).toMatchObject({ totalResults: 0, Resources: [] });
      expect(nobody.status).toBe(400);
      expect(nobody.body.scimType).toBe('invalidFilter');
    });

    it('answers 400 invalidFilter to a bad filter in a SearchRequest', async () => {
      // Act
      const r = await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: '((' });
      // Assess
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe('invalidFilter');
    });
  });
});

describe('/Users filters beyond the store\'s bound', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxScanItems: 3 });
    for (let i = 0; i < 5; i++) {
      expect((await server.request('POST', '/Users', { schemas: [CORE], userName: `b${i}@example.com`, title: 'T', emails: [{ value: 'shared@example.com' }] })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 400 tooMany to a filter that would examine more users than the bound', async () => {
    // Act
    const r = await server.request('GET', `/Users?filter=${q('title eq "T"')}`);
    // Assess
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'tooMany' });
  });

  it('answers 400 tooMany to a sortBy without an index past the bound, naming sortBy and not the filter', async () => {
    // Act
    const r = await server.request('GET', '/Users?sortBy=title');
    // Assess
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('tooMany');
    expect(r.body.detail).toMatch(/^sortBy=title has no index/);
    expect(r.body.detail).toMatch(/userName, displayName, meta\.created, meta\.lastModified/);
    expect(r.body.detail).not.toMatch(/filter on/);
  });

  it('names the filter\'s attributes and what scales instead', async () => {
    const r = await server.request('GET', `/Users?filter=${q('title eq "T" or nickName pr')}`);
    expect(r.body.detail).toMatch(/^The filter on title, nickName has no index/);
    expect(r.body.detail).toMatch(/userName sw/);
  });

  it('sorts by an indexed attribute beyond the bound (userName index)', async () => {
    // Act
    const r = await server.request('GET', '/Users?sortBy=userName&sortOrder=descending&count=2');
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(5);
    expect(r.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['b4@example.com', 'b3@example.com']);
  });

  it('still serves indexed lookups and plain paging beyond the bound', async () => {
    // Act
    const byName = await server.request('GET', `/Users?filter=${q('userName eq "b4@example.com"')}`);
    const page = await server.request('GET', '/Users?startIndex=4&count=2');
    // Assess
    expect(byName.body.totalResults).toBe(1);
    expect(page.body).toMatchObject({ totalResults: 5, itemsPerPage: 2 });
  });
});
