import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('POST /.search with sortBy across Users and Groups', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.request('POST', '/Users', { schemas: [USER], userName: 'u-b', displayName: 'Bravo' });
    await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Alpha' });
    await server.request('POST', '/Users', { schemas: [USER], userName: 'u-d', displayName: 'delta' });
    await server.request('POST', '/Groups', { schemas: [GROUP], displayName: 'Charlie' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const names = (r: { body: { Resources: { displayName: string }[] } }) => r.body.Resources.map((x) => x.displayName);

  it('merges both types into one order, case-insensitively', async () => {
    const r = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'displayName' });
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(['Alpha', 'Bravo', 'Charlie', 'delta']);
    expect(r.body.totalResults).toBe(4);
  });

  it('pages the merged order by startIndex and count, and sorts descending', async () => {
    const page = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'displayName', startIndex: 2, count: 2 });
    expect(names(page)).toEqual(['Bravo', 'Charlie']);
    expect(page.body.startIndex).toBe(2);
    const desc = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'displayName', sortOrder: 'descending' });
    expect(names(desc)).toEqual(['delta', 'Charlie', 'Bravo', 'Alpha']);
  });

  it('puts resources of a type without the sortBy attribute last ascending and first descending (RFC 7644 §3.4.2.3)', async () => {
    const asc = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'userName' });
    const desc = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'userName', sortOrder: 'descending' });
    expect(asc.status).toBe(200);
    expect(asc.body.Resources.slice(0, 2).map((x: { userName: string }) => x.userName)).toEqual(['u-b', 'u-d']);
    expect(names({ body: { Resources: asc.body.Resources.slice(2) } }).sort()).toEqual(['Alpha', 'Charlie']);
    expect(names({ body: { Resources: desc.body.Resources.slice(0, 2) } }).sort()).toEqual(['Alpha', 'Charlie']);
    expect(desc.body.Resources.slice(2).map((x: { userName: string }) => x.userName)).toEqual(['u-d', 'u-b']);
  });

  it('answers 400 for a sortBy attribute neither type has', async () => {
    const r = await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'noSuchThing' });
    expect(r.status).toBe(400);
  });
});
