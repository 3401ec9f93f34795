import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/localStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** The readable JSON part of a cursor (before any tag). */
const payloadOf = (cursor: string) => JSON.parse(Buffer.from(cursor.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
/** A cursor re-encoded the way a client would edit one: new JSON, base64url, old tag if any. */
const reencode = (cursor: string, payload: unknown) => [Buffer.from(JSON.stringify(payload)).toString('base64url'), ...cursor.split('.').slice(1)].join('.');

describe('cursors a client edits or replays over HTTP', () => {
  let server: TestServer;
  let listCursor: string;
  let filterCursor: string;

  beforeAll(async () => {
    server = await startTestServer();
    for (let i = 0; i < 6; i++) await server.request('POST', '/Users', { schemas: [USER], userName: `cur-${i}-${randomUUID()}`, title: 'Cursor' });
    listCursor = (await server.request('GET', '/Users?cursor&count=2')).body.nextCursor;
    filterCursor = (await server.request('GET', `/Users?cursor&count=2&filter=${encodeURIComponent('title eq "Cursor"')}`)).body.nextCursor;
    expect(listCursor).toEqual(expect.any(String));
    expect(filterCursor).toEqual(expect.any(String));
  });
  afterAll(async () => {
    await server?.close();
  });

  const expectInvalidCursor = (r: { status: number; body: { scimType?: string; schemas?: string[] } }) => {
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe('invalidCursor');
  };

  it('answers 400 invalidCursor to a listing cursor whose start key was edited into one DynamoDB refuses', async () => {
    // Prepare
    const p = payloadOf(listCursor);
    const forged = reencode(listCursor, { ...p, k: { PK: (p.k as { PK: string }).PK, bogus: 'x' } });
    // Act, Assess
    expectInvalidCursor(await server.request('GET', `/Users?count=2&cursor=${encodeURIComponent(forged)}`));
  });

  it('answers 400 invalidCursor to a listing cursor pointed at another partition', async () => {
    // Prepare
    const p = payloadOf(listCursor);
    const forged = reencode(listCursor, { ...p, k: { ...(p.k as object), PK: 'UNIQUE#USER#userName#admin' } });
    // Act, Assess
    expectInvalidCursor(await server.request('GET', `/Users?count=2&cursor=${encodeURIComponent(forged)}`));
  });

  it('answers 400 invalidCursor to an offset cursor edited to skip ahead', async () => {
    // Prepare
    const forged = reencode(filterCursor, { ...payloadOf(filterCursor), o: 1 });
    // Act, Assess
    expectInvalidCursor(await server.request('GET', `/Users?count=2&cursor=${encodeURIComponent(forged)}&filter=${encodeURIComponent('title eq "Cursor"')}`));
  });

  it('answers 400 invalidCursor to a cursor replayed against another query or resource type', async () => {
    // Act
    const otherFilter = await server.request('GET', `/Users?count=2&cursor=${encodeURIComponent(filterCursor)}&filter=${encodeURIComponent('title eq "Other"')}`);
    const otherType = await server.request('GET', `/Groups?count=2&cursor=${encodeURIComponent(listCursor)}`);
    // Assess
    expectInvalidCursor(otherFilter);
    expectInvalidCursor(otherType);
  });

  it('answers 400 invalidCursor to garbage, and still pages with the cursors it issued', async () => {
    // Act
    const garbage = await server.request('GET', '/Users?count=2&cursor=garbage');
    const next = await server.request('GET', `/Users?count=2&cursor=${encodeURIComponent(listCursor)}`);
    // Assess
    expectInvalidCursor(garbage);
    expect(next.status).toBe(200);
    expect(next.body.Resources).toHaveLength(2);
    expect((await server.request('POST', '/Groups', { schemas: [GROUP], displayName: `c-${randomUUID()}` })).status).toBe(201);
  });
});
