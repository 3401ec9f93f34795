import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreHarness, groupData, userData, type StoreHarness } from '../store/harness';
import { createDeps, type HandlerDeps } from '../../lambdas/handlers/resources/deps';
import { createGroup, effectMetrics, patchGroup, replaceGroup, type Effect } from '../../lambdas/provisioning';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patch = (...Operations: unknown[]) => ({ body: { schemas: [PATCH_OP], Operations } });

/** The member metrics a write counts: what the routes and /Bulk publish for it. */
function memberCounts(effect: Effect): { added: number; removed: number } {
  const metrics = effectMetrics(effect);
  return {
    added: metrics.find((m) => m.name === 'MembersAdded')?.value ?? 0,
    removed: metrics.find((m) => m.name === 'MembersRemoved')?.value ?? 0,
  };
}

let h: StoreHarness;
let deps: HandlerDeps;
let users: string[];
beforeEach(async () => {
  h = await createStoreHarness();
  deps = createDeps(h.store);
  users = [];
  for (const name of ['a', 'b', 'c']) users.push((await h.store.createUser(userData(`${name}@example.com`))).id);
});

describe('member metrics count the changes really applied', () => {
  it('counts the members a POST adds, once each even when listed twice', async () => {
    // Act
    const { effect } = await createGroup(deps, { body: { schemas: [GROUP], displayName: 'G', members: [{ value: users[0] }, { value: users[0] }, { value: users[1] }] } });
    // Assess
    expect(memberCounts(effect)).toEqual({ added: 2, removed: 0 });
    expect(effectMetrics(effect)).toContainEqual({ name: 'GroupsCreated', value: 1 });
  });

  it('counts a PATCH add, and nothing for adding a member that is already there', async () => {
    // Prepare
    const g = await h.store.createGroup(groupData('G'), [{ value: users[0] }]);
    // Act
    const add = await patchGroup(deps, g.id, patch({ op: 'add', path: 'members', value: [{ value: users[1] }] }));
    const reAdd = await patchGroup(deps, g.id, patch({ op: 'add', path: 'members', value: [{ value: users[0] }, { value: users[1] }] }));
    // Assess
    expect(memberCounts(add.effect)).toEqual({ added: 1, removed: 0 });
    expect(memberCounts(reAdd.effect)).toEqual({ added: 0, removed: 0 });
    expect(effectMetrics(reAdd.effect)).toEqual([{ name: 'GroupsUpdated', value: 1 }]);
  });

  it('counts a PATCH remove, and nothing for removing a member that is not there', async () => {
    // Prepare
    const g = await h.store.createGroup(groupData('G'), [{ value: users[0] }, { value: users[1] }]);
    // Act
    const remove = await patchGroup(deps, g.id, patch({ op: 'remove', path: `members[value eq "${users[0]}"]` }));
    const again = await patchGroup(deps, g.id, patch({ op: 'remove', path: `members[value eq "${users[0]}"]` }));
    // Assess
    expect(memberCounts(remove.effect)).toEqual({ added: 0, removed: 1 });
    expect(remove.effect.membersRemoved.map((m) => m.value)).toEqual([users[0]]);
    expect(memberCounts(again.effect)).toEqual({ added: 0, removed: 0 });
  });

  it("counts Okta's replace of members as the difference it makes", async () => {
    // Prepare: members a, b; Okta sends the whole new list b, c
    const g = await h.store.createGroup(groupData('G'), [{ value: users[0] }, { value: users[1] }]);
    // Act
    const { effect } = await patchGroup(deps, g.id, patch({ op: 'replace', path: 'members', value: [{ value: users[1] }, { value: users[2] }] }));
    // Assess
    expect(memberCounts(effect)).toEqual({ added: 1, removed: 1 });
    expect(effect.membersAdded.map((m) => m.value)).toEqual([users[2]]);
    expect(effect.membersRemoved.map((m) => m.value)).toEqual([users[0]]);
  });

  it('counts a PUT as the difference between the old and the new member list', async () => {
    // Prepare
    const g = await h.store.createGroup(groupData('G'), [{ value: users[0] }, { value: users[1] }]);
    // Act
    const put = await replaceGroup(deps, g.id, { body: { schemas: [GROUP], displayName: 'G renamed', members: [{ value: users[0] }, { value: users[2] }] } });
    const same = await replaceGroup(deps, g.id, { body: { schemas: [GROUP], displayName: 'G renamed', members: [{ value: users[0] }, { value: users[2] }] } });
    // Assess
    expect(memberCounts(put.effect)).toEqual({ added: 1, removed: 1 });
    expect(put.effect.attributes).toEqual(['displayName']);
    expect(memberCounts(same.effect)).toEqual({ added: 0, removed: 0 });
    expect(same.effect.attributes).toEqual([]);
  });

  it('counts removing every member (PATCH remove of members) as one removal each', async () => {
    // Prepare
    const g = await h.store.createGroup(groupData('G'), [{ value: users[0] }, { value: users[1] }, { value: users[2] }]);
    // Act
    const { effect, resource } = await patchGroup(deps, g.id, patch({ op: 'remove', path: 'members' }));
    // Assess
    expect(memberCounts(effect)).toEqual({ added: 0, removed: 3 });
    expect(resource.memberCount).toBe(0);
  });
});
