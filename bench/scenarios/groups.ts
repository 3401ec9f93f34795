import { operationRunner, type Bench, type Ops } from '../harness';
import { GROUP_SCHEMA, memberRefs, patchOps } from './data';
import { fillGroup } from './seed';

const BATCH = 10;

/**
 * Every /Groups operation through the Groups handler, `n` iterations each. `users` are existing
 * user ids (at least n × 10 of them) used as members.
 */
export async function groupOperations(bench: Bench, n: number, users: string[]): Promise<Ops> {
  if (users.length < n * BATCH) throw new Error(`groupOperations needs ${n * BATCH} users, got ${users.length}`);
  const ops: Ops = {};
  const run = operationRunner(bench, n, ops);
  const create = async (displayName: string, members: string[] = []) =>
    String(
      (await bench.expect(201, { method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA], displayName, members: memberRefs(members) } })).body?.id,
    );
  const patch = (id: string, body: unknown) => bench.expect(204, { method: 'PATCH', path: `/Groups/${id}`, body });

  // Entra creates a group without members, then PATCHes them in.
  const created: string[] = [];
  await run('group.create', async (i) => {
    const reply = await bench.expect(201, { method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA], displayName: `Bench group ${i}`, externalId: `ext-g-${i}` } });
    created[i] = String(reply.body?.id);
  });

  const small = await create('Bench small group', users.slice(0, 5));
  await run('group.get', () =>
    bench.expect(200, { method: 'GET', path: `/Groups/${small}` }).then((r) => {
      if ((r.body?.members as unknown[] | undefined)?.length !== 5) throw new Error('group.get did not return the 5 members');
    }),
  );

  // Entra's batched add: 10 new members per PATCH; then the same removed 10 at a time.
  const target = await create('Bench patch target');
  const batch = (i: number) => users.slice(i * BATCH, (i + 1) * BATCH);
  await run('group.patch.addMembers', (i) => patch(target, patchOps({ op: 'Add', path: 'members', value: memberRefs(batch(i)) })));
  await run('group.patch.removeMembers', (i) => patch(target, patchOps({ op: 'Remove', path: 'members', value: memberRefs(batch(i)) })));

  // Okta's replace of the whole member list: alternating between two disjoint sets of 10, so each
  // PATCH removes 10 and adds 10 after a paged read of the current members.
  const setA = users.slice(0, BATCH);
  const setB = users.slice(BATCH, 2 * BATCH);
  const replaced = await create('Bench replace target', setB);
  await run('group.replaceMembers', (i) => patch(replaced, patchOps({ op: 'Replace', path: 'members', value: memberRefs(i % 2 === 0 ? setA : setB) })));

  // Deleting groups of 10 members each (members added through the store, not measured).
  for (const [i, id] of created.entries()) await fillGroup(bench, id, batch(i), 98, 1);
  // A leaver in 4 groups (issue 17: delete of a user in k groups in as few calls as the layout allows).
  const leavers: string[] = [];
  for (let i = 0; i < n; i++) {
    const reply = await bench.expect(201, { method: 'POST', path: '/Users', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `leaver${i}@bench.example.com`, externalId: `leaver-${i}`, emails: [{ type: 'work', value: `leaver${i}@bench.example.com` }] } });
    leavers[i] = String(reply.body?.id);
    for (let k = 0; k < 4; k++) await patch(created[(i + k) % created.length], patchOps({ op: 'Add', path: 'members', value: memberRefs([leavers[i]]) }));
  }
  await run('user.delete.in4Groups', (i) => bench.expect(204, { method: 'DELETE', path: `/Users/${leavers[i]}` }));
  await run('group.delete', (i) => bench.expect(204, { method: 'DELETE', path: `/Groups/${created[i]}` }));
  for (const id of [small, target, replaced]) await bench.expect(204, { method: 'DELETE', path: `/Groups/${id}` });
  return ops;
}
