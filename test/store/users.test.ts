import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreHarness, userData, type StoreHarness } from './harness';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../lambdas/store/errors';

/** The one item a delete keeps on purpose: its second reverse-index pass, due a minute later (TTL-bound). */
const isRecheck = (i: Record<string, unknown>) => i.PK === 'CLEANUP' && typeof i.recheckAfter === 'string';

let h: StoreHarness;
beforeEach(async () => {
  h = await createStoreHarness();
});

describe('ScimStore users', () => {
  it('creates a user in one transaction and reads it back with one strongly consistent GetItem', async () => {
    // Act
    const created = await h.store.createUser(userData('Alice@Example.com', { externalId: 'ext-1' }));
    const createCounts = { ...h.counter.counts };
    h.counter.reset();
    const read = await h.store.getUser(created.id);
    // Assess
    expect(createCounts.requests).toBe(1);
    expect(createCounts.byCommand).toEqual({ TransactWriteItemsCommand: 1 });
    expect(h.counter.counts.requests).toBe(1);
    expect(read).toEqual(created);
    expect(read?.version).toBe(1);
    expect(read?.data.userName).toBe('Alice@Example.com');
  });

  it('returns undefined for an unknown id', async () => {
    expect(await h.store.getUser('nope')).toBeUndefined();
  });

  it('refuses a second user whose userName differs only in case with ConflictError naming userName', async () => {
    // Prepare
    const first = await h.store.createUser(userData('bob'));
    // Act
    const err = await h.store.createUser(userData('BOB')).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).attribute).toBe('userName');
    expect((err as ConflictError).existingId).toBe(first.id);
    const users = (await h.allItems()).filter((i) => i.SK === 'META');
    expect(users).toHaveLength(1);
  });

  it('lets exactly one of 20 concurrent creates of one userName win and leaves one item and one marker', async () => {
    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => h.store.createUser(userData(i % 2 ? 'race' : 'RACE', { n: i }))));
    // Assess
    const ok = results.filter((r) => r.status === 'fulfilled');
    const conflicts = results.filter((r) => r.status === 'rejected' && (r.reason as Error) instanceof ConflictError);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const items = await h.allItems();
    expect(items.filter((i) => String(i.PK).startsWith('USER#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.PK).startsWith('UNIQUE#USER#userName#'))).toHaveLength(1);
    expect(await h.store.countResources('User')).toBe(1);
  });

  it('finds a user by userName case-insensitively with at most 2 reads right after creating it', async () => {
    // Prepare
    const u = await h.store.createUser(userData('Carol'));
    h.counter.reset();
    // Act
    const res = await h.store.queryUsers({ plan: { kind: 'userName', value: 'cAROL' }, count: 100 });
    // Assess
    expect(res.resources.map((r) => r.id)).toEqual([u.id]);
    expect(res.totalResults).toBe(1);
    expect(h.counter.counts.requests).toBeLessThanOrEqual(2);
  });

  it('finds users sharing an externalId with at most 2 reads, case-exactly', async () => {
    // Prepare
    const a = await h.store.createUser(userData('a', { externalId: 'E1' }));
    const b = await h.store.createUser(userData('b', { externalId: 'E1' }));
    await h.store.createUser(userData('c', { externalId: 'e1' }));
    h.counter.reset();
    // Act
    const res = await h.store.queryUsers({ plan: { kind: 'externalId', value: 'E1' }, count: 100 });
    // Assess
    expect(res.resources.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(h.counter.counts.requests).toBeLessThanOrEqual(2);
  });

  it('finds users by email value and by typed email with one lookup query and one BatchGet', async () => {
    // Prepare
    const a = await h.store.createUser(userData('a', { emails: [{ value: 'A@x.com', type: 'work' }] }));
    const b = await h.store.createUser(userData('b', { emails: [{ value: 'a@X.com', type: 'home' }] }));
    h.counter.reset();
    // Act
    const any = await h.store.queryUsers({ plan: { kind: 'email', value: 'a@x.com' }, count: 10 });
    const anyCost = h.counter.counts.requests;
    const work = await h.store.queryUsers({ plan: { kind: 'email', value: 'a@x.com', type: 'work' }, count: 10 });
    // Assess
    expect(any.resources.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(work.resources.map((r) => r.id)).toEqual([a.id]);
    expect(anyCost).toBeLessThanOrEqual(2);
    expect(h.counter.counts.scans).toBe(0);
  });

  it('applies the full filter predicate to the candidates of a plan', async () => {
    // Prepare
    await h.store.createUser(userData('d', { externalId: 'X', active: false }));
    const e = await h.store.createUser(userData('e', { externalId: 'X', active: true }));
    // Act
    const res = await h.store.queryUsers({ plan: { kind: 'externalId', value: 'X' }, predicate: (r) => r.data.active === true, count: 10 });
    // Assess
    expect(res.resources.map((r) => r.id)).toEqual([e.id]);
    expect(res.totalResults).toBe(1);
  });

  it('serves an id plan with one GetItem and a union of plans without duplicates', async () => {
    // Prepare
    const a = await h.store.createUser(userData('ua'));
    const b = await h.store.createUser(userData('ub'));
    h.counter.reset();
    // Act
    const byId = await h.store.queryUsers({ plan: { kind: 'id', value: a.id }, count: 10 });
    const idCost = h.counter.counts.requests;
    const union = await h.store.queryUsers({
      plan: { kind: 'union', plans: [{ kind: 'userName', value: 'ua' }, { kind: 'userName', value: 'ub' }, { kind: 'id', value: a.id }] },
      count: 10,
    });
    // Assess
    expect(byId.resources.map((r) => r.id)).toEqual([a.id]);
    expect(idCost).toBe(1);
    expect(union.resources.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('updates with a read and one conditional write and bumps the version', async () => {
    // Prepare
    const u = await h.store.createUser(userData('patchme'));
    h.counter.reset();
    // Act
    const updated = await h.store.updateUser(u.id, (cur) => ({ ...cur.data, title: 'Boss' }));
    // Assess
    expect(h.counter.counts.requests).toBe(2);
    expect(updated.version).toBe(2);
    expect(updated.data.title).toBe('Boss');
    expect((await h.store.getUser(u.id))?.data.title).toBe('Boss');
  });

  it('never loses an update when 10 callbacks increment one attribute concurrently', async () => {
    // Prepare
    const u = await h.store.createUser(userData('counter', { n: 0 }));
    // Act
    await Promise.all(Array.from({ length: 10 }, () => h.store.updateUser(u.id, (cur) => ({ ...cur.data, n: Number(cur.data.n) + 1 }))));
    // Assess
    const final = await h.store.getUser(u.id);
    expect(final?.data.n).toBe(10);
    expect(final?.version).toBe(11);
  });

  it('answers PreconditionFailedError when expectedVersion does not match and writes nothing', async () => {
    // Prepare
    const u = await h.store.createUser(userData('etag'));
    await h.store.updateUser(u.id, (c) => ({ ...c.data, a: 1 }));
    // Act
    const err = await h.store.replaceUser(u.id, userData('etag', { a: 2 }), { expectedVersion: 1 }).catch((e: unknown) => e);
    const ok = await h.store.replaceUser(u.id, userData('etag', { a: 3 }), { expectedVersion: 2 });
    // Assess
    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect(ok.data.a).toBe(3);
    expect(ok.version).toBe(3);
  });

  it('answers NotFoundError when updating a user that does not exist', async () => {
    await expect(h.store.updateUser('missing', (c) => c.data)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('swaps the userName marker and the lookups on rename in one transaction', async () => {
    // Prepare
    const u = await h.store.createUser(userData('old', { externalId: 'x1', emails: [{ value: 'old@x.com', type: 'work' }] }));
    h.counter.reset();
    // Act
    await h.store.replaceUser(u.id, userData('New', { externalId: 'x2', emails: [{ value: 'new@x.com', type: 'work' }] }));
    // Assess
    expect(h.counter.counts.byCommand).toEqual({ GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    const keys = (await h.allItems()).map((i) => String(i.PK)).filter((pk) => pk.startsWith('UNIQUE#') || pk.startsWith('LOOKUP#')).sort();
    expect(keys).toEqual(['LOOKUP#USER#email#new@x.com', 'LOOKUP#USER#externalId#x2', 'UNIQUE#USER#userName#new']);
    expect((await h.store.queryUsers({ plan: { kind: 'userName', value: 'old' }, count: 1 })).totalResults).toBe(0);
    // the old name is free again
    await expect(h.store.createUser(userData('OLD'))).resolves.toBeDefined();
  });

  it('refuses a rename onto a taken userName with ConflictError and keeps both markers', async () => {
    // Prepare
    await h.store.createUser(userData('taken'));
    const u = await h.store.createUser(userData('mine'));
    // Act
    const err = await h.store.replaceUser(u.id, userData('TAKEN')).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ConflictError);
    const markers = (await h.allItems()).filter((i) => String(i.PK).startsWith('UNIQUE#')).map((i) => i.PK).sort();
    expect(markers).toEqual(['UNIQUE#USER#userName#mine', 'UNIQUE#USER#userName#taken']);
    expect((await h.store.getUser(u.id))?.version).toBe(1);
  });

  it('lets exactly one of concurrent renames onto one userName win', async () => {
    // Prepare
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.createUser(userData(`u${i}`))));
    // Act
    const results = await Promise.allSettled(users.map((u) => h.store.replaceUser(u.id, userData('target'))));
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const markers = (await h.allItems()).filter((i) => String(i.PK).startsWith('UNIQUE#'));
    expect(markers).toHaveLength(8);
  });

  it('keeps a deactivated user and records deactivation and reactivation in the audit trail', async () => {
    // Prepare
    const now = new Date('2026-03-01T10:00:00Z');
    h = await createStoreHarness({ now: () => now });
    const u = await h.store.createUser(userData('leaver', { externalId: 'L1' }));
    // Act
    await h.store.updateUser(u.id, (c) => ({ ...c.data, active: false }), { actor: 'entra' });
    await h.store.updateUser(u.id, (c) => ({ ...c.data, active: true }));
    // Assess
    expect((await h.store.getUser(u.id))?.data.active).toBe(true);
    const audit = await h.store.auditRecords('2026-03-01');
    expect(audit.map((a) => a.action)).toEqual(['deactivate', 'reactivate']);
    expect(audit[0]).toMatchObject({ resourceId: u.id, resourceType: 'User', externalId: 'L1', actor: 'entra' });
  });

  it('deletes a user with its markers, lookups and memberships, leaves an audit record, and answers 404 afterwards', async () => {
    // Prepare
    const now = new Date('2026-04-02T08:00:00Z');
    h = await createStoreHarness({ now: () => now });
    const u = await h.store.createUser(userData('gone', { externalId: 'g1', emails: [{ value: 'g@x.com' }] }));
    const g1 = await h.store.createGroup({ displayName: 'G1' }, [{ value: u.id, type: 'User' }]);
    const g2 = await h.store.createGroup({ displayName: 'G2' }, [{ value: u.id, type: 'User' }]);
    // Act
    await h.store.deleteUser(u.id, { actor: 'okta' });
    // Assess
    expect(await h.store.getUser(u.id)).toBeUndefined();
    await expect(h.store.deleteUser(u.id)).rejects.toBeInstanceOf(NotFoundError);
    const items = await h.allItems();
    // A group's memberChange naming the deleted user is the change feed's record of its removal, not a leftover.
    const leftovers = items.filter((i) => JSON.stringify({ ...i, memberChange: undefined }).includes(u.id) && !String(i.PK).startsWith('AUDIT#') && !isRecheck(i));
    expect(leftovers).toEqual([]);
    expect((await h.store.getGroup(g1.id))?.memberCount).toBe(0);
    expect((await h.store.getGroup(g2.id))?.version).toBe(2);
    expect(await h.store.auditRecords('2026-04-02')).toEqual([
      expect.objectContaining({ action: 'delete', resourceId: u.id, externalId: 'g1', actor: 'okta' }),
    ]);
    expect(await h.store.countResources('User')).toBe(0);
    await expect(h.store.createUser(userData('GONE'))).resolves.toBeDefined();
  });

  it('refuses a delete with a stale expectedVersion', async () => {
    const u = await h.store.createUser(userData('keep'));
    await expect(h.store.deleteUser(u.id, { expectedVersion: 7 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await h.store.getUser(u.id)).toBeDefined();
  });
});
