import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/localStack';
import { BULK_ROLLBACK_URN } from '../../lambdas/handlers/resources/capabilities';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface BulkEntry {
  method: string;
  bulkId?: string;
  status: string;
  location?: string;
  response?: { detail?: string; status?: string };
}

const createOp = (prefix: string, i: number) => ({ method: 'POST', path: '/Users', bulkId: `${prefix}${i}`, data: { schemas: [USER], userName: `${prefix}${i}@example.com` } });

/**
 * A server whose bulk function has 3 s instead of 28: 1,000 creates cannot all fit, even on an
 * idle machine (8 s was enough for all of them once the CPU was free). One create warms the
 * handlers and the table, as a deployed function mostly is.
 */
async function startShortBulkServer(warmPrefix: string): Promise<TestServer> {
  const server = await startTestServer({ limits: { functionTimeoutMs: { bulk: 3_000 } } });
  await server.request('POST', '/Bulk', { schemas: [BULK], Operations: [createOp(warmPrefix, 0)] });
  return server;
}

describe('/Bulk near the function timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startShortBulkServer('warm');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stops at an operation boundary: every operation is applied (201) or not started (503 with Retry-After), none half-applied', async () => {
    // Prepare
    const operations = Array.from({ length: 1_000 }, (_, i) => createOp('t', i));
    // Act
    const r = await server.request('POST', '/Bulk', { schemas: [BULK], Operations: operations });
    // Assess: an answer, not the gateway's 502, before the deadline.
    expect(r.status).toBe(200);
    const entries = r.body.Operations as BulkEntry[];
    expect(entries).toHaveLength(1_000);
    const created = entries.filter((e) => e.status === '201');
    const notStarted = entries.filter((e) => e.status === '503');
    expect(created.length + notStarted.length).toBe(1_000);
    expect(created.length).toBeGreaterThan(0);
    expect(notStarted.length).toBeGreaterThan(0);
    expect(r.headers['retry-after']).toBe('1');
    expect(notStarted[0].response?.detail).toMatch(/resend/i);
    // Exactly the 201s exist: the store holds every reported creation and nothing else.
    const list = await server.request('GET', '/Users?filter=userName sw "t"&count=0');
    expect(list.body.totalResults).toBe(created.length);
    const missing = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${notStarted[0].bulkId}@example.com"`)}`);
    expect(missing.body.totalResults).toBe(0);
  }, 60_000);

  it('completes when the client resends what was answered 503', async () => {
    // Prepare
    let pending = Array.from({ length: 400 }, (_, i) => createOp('r', i));
    let createdSoFar = 0;
    // Act: resend the 503s until none is left, as the BulkResponse tells a client to. How many
    // rounds that takes is the machine's speed (a loaded one fits a few operations in 3 s), so
    // what bounds the loop is progress: every round applies at least one operation, or a client
    // following the protocol would resend for ever.
    while (pending.length > 0) {
      const r = await server.request('POST', '/Bulk', { schemas: [BULK], Operations: pending });
      expect(r.status).toBe(200);
      const entries = r.body.Operations as BulkEntry[];
      // Assess each round: every operation applied once (201) or not started (503), nothing else.
      expect(entries).toHaveLength(pending.length);
      expect(entries.every((e) => e.status === '201' || e.status === '503')).toBe(true);
      const retry = new Set(entries.filter((e) => e.status === '503').map((e) => e.bulkId));
      expect(retry.size).toBeLessThan(pending.length);
      createdSoFar += pending.length - retry.size;
      const stored = await server.request('GET', '/Users?filter=userName sw "r"&count=0');
      expect(stored.body.totalResults).toBe(createdSoFar);
      pending = pending.filter((op) => retry.has(op.bulkId));
    }
    // Assess
    const list = await server.request('GET', '/Users?filter=userName sw "r"&count=0');
    expect(list.body.totalResults).toBe(400);
  }, 300_000);
});

describe('/Bulk all-or-nothing (rollback) extension', () => {
  let server: TestServer;
  let existing: { id: string; displayName: string };
  beforeAll(async () => {
    server = await startTestServer();
    const r = await server.request('POST', '/Users', { schemas: [USER], userName: 'keeper@example.com', displayName: 'Before' });
    existing = r.body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is advertised in /ServiceProviderConfig', async () => {
    const spc = await server.request('GET', '/ServiceProviderConfig');
    expect(spc.body.schemas).toContain(BULK_ROLLBACK_URN);
    expect(spc.body[BULK_ROLLBACK_URN]).toMatchObject({ supported: true });
  });

  it('undoes every applied operation when the last one fails, and says what was rolled back', async () => {
    // Prepare: creates, a group of them, a PATCH of an existing user, then a duplicate userName (409) last.
    const operations = [
      createOp('rb', 1),
      createOp('rb', 2),
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'rb-group', members: [{ value: 'bulkId:rb1' }, { value: 'bulkId:rb2' }] } },
      { method: 'PATCH', path: `/Users/${existing.id}`, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'After' }] } },
      { method: 'POST', path: '/Users', bulkId: 'dup', data: { schemas: [USER], userName: 'keeper@example.com' } },
    ];
    // Act
    const r = await server.request('POST', '/Bulk', { schemas: [BULK, BULK_ROLLBACK_URN], Operations: operations });
    // Assess: the response
    expect(r.status).toBe(200);
    expect(r.body.schemas).toContain(BULK_ROLLBACK_URN);
    const entries = r.body.Operations as BulkEntry[];
    expect(entries.map((e) => e.status)).toEqual(['424', '424', '424', '424', '409']);
    expect(r.body[BULK_ROLLBACK_URN]).toMatchObject({ rolledBack: true, cause: expect.stringMatching(/operation 4/) });
    expect(r.body[BULK_ROLLBACK_URN].operations.map((o: { compensation: string }) => o.compensation)).toEqual(['deleted', 'deleted', 'deleted', 'restored']);
    // ...and the state: as before the request.
    for (const name of ['rb1@example.com', 'rb2@example.com']) {
      const found = await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`);
      expect(found.body.totalResults).toBe(0);
    }
    const groups = await server.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "rb-group"')}`);
    expect(groups.body.totalResults).toBe(0);
    const keeper = await server.request('GET', `/Users/${existing.id}`);
    expect(keeper.body.displayName).toBe('Before');
  });

  it('applies everything when nothing fails', async () => {
    const r = await server.request('POST', '/Bulk', { schemas: [BULK, BULK_ROLLBACK_URN], Operations: [createOp('ok', 1), createOp('ok', 2)] });
    expect((r.body.Operations as BulkEntry[]).map((e) => e.status)).toEqual(['201', '201']);
    expect(r.body[BULK_ROLLBACK_URN]).toBeUndefined();
  });

  it('converges when a rollback is run again: compensations are idempotent', async () => {
    // Prepare: a created user already deleted by an interrupted earlier rollback, then the rollback re-run.
    const { RollbackJournal } = await import('../../lambdas/handlers/resources/bulkRollback');
    const { createDeps } = await import('../../lambdas/handlers/resources/deps');
    const deps = createDeps(server.store, {});
    const journal = new RollbackJournal(deps);
    await journal.open();
    const op = { method: 'POST' as const, path: '/Users', bulkId: 'x' };
    const captured = await journal.capture(op);
    const created = await server.store.createUser({ schemas: [USER], userName: 'twice@example.com' }, { id: captured?.newId });
    journal.applied(0, op, { method: 'POST', status: '201' }, captured);
    // Act: compensate twice (a retry after a crash mid-compensation)
    const first = await journal.rollback([{ method: 'POST', status: '201' }], [op], undefined);
    const second = await journal.rollback([{ method: 'POST', status: '201' }], [op], undefined);
    // Assess
    expect(first.summary.rolledBack).toBe(true);
    expect(second.summary.rolledBack).toBe(true);
    expect((await server.request('GET', `/Users/${created.id}`)).status).toBe(404);
  });
});

describe('/Bulk all-or-nothing near the function timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    // 1,000 creates one at a time cannot all fit in 3 s, so the budget runs out.
    server = await startShortBulkServer('warm-rb');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('undoes what it applied before the function timeout, answering the rollback rather than a 502', async () => {
    // Prepare: operations start only while the time left covers compensating all that was applied,
    // so the rollback finishes inside the invocation (the journal in the table is for a crash).
    const operations = Array.from({ length: 1_000 }, (_, i) => createOp('late', i));
    // Act
    const r = await server.request('POST', '/Bulk', { schemas: [BULK, BULK_ROLLBACK_URN], Operations: operations });
    // Assess: an answer from the function (not the gateway's 502), every applied create undone.
    expect(r.status).toBe(200);
    const summary = r.body[BULK_ROLLBACK_URN] as { rolledBack: boolean; cause: string; operations: { compensation: string }[] };
    expect(summary).toMatchObject({ rolledBack: true, cause: 'the request ran out of time' });
    expect(summary.operations.length).toBeGreaterThan(0);
    expect(summary.operations.every((o) => o.compensation === 'deleted')).toBe(true);
    expect(new Set((r.body.Operations as BulkEntry[]).map((e) => e.status))).toEqual(new Set(['503']));
    const left = await server.request('GET', '/Users?filter=userName sw "late"&count=0');
    expect(left.body.totalResults).toBe(0);
  }, 60_000);
});
