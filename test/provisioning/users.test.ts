import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreHarness, userData, type StoreHarness } from '../store/harness';
import { createDeps, type HandlerDeps } from '../../lambdas/handlers/resources/deps';
import { createUser, deleteUser, effectMetrics, patchUser, replaceUser } from '../../lambdas/provisioning';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patch = (...Operations: unknown[]) => ({ body: { schemas: [PATCH_OP], Operations } });
const today = () => new Date().toISOString().slice(0, 10);

let h: StoreHarness;
let deps: HandlerDeps;
beforeEach(async () => {
  h = await createStoreHarness();
  deps = createDeps(h.store);
});

describe('user use cases', () => {
  it('reports a deactivation as an activation change, counts it and records it in the audit trail', async () => {
    // Prepare
    const { resource } = await createUser(deps, { body: userData('d@example.com') });
    // Act
    const off = await patchUser(deps, resource.id, patch({ op: 'replace', path: 'active', value: 'False' }));
    const again = await patchUser(deps, resource.id, patch({ op: 'replace', path: 'active', value: false }));
    const on = await replaceUser(deps, resource.id, { body: userData('d@example.com', { active: true }) });
    // Assess
    expect(off.effect).toMatchObject({ change: 'updated', activation: 'deactivated', attributes: ['active'] });
    expect(effectMetrics(off.effect)).toEqual([{ name: 'UsersUpdated', value: 1 }, { name: 'UsersDeactivated', value: 1 }]);
    expect(again.effect.activation).toBeUndefined();
    expect(again.effect.attributes).toEqual([]);
    expect(on.effect.activation).toBe('reactivated');
    expect((await h.store.auditRecords(today())).filter((r) => r.resourceId === resource.id).map((r) => r.action)).toEqual(['deactivate', 'reactivate']);
  });

  it('names the changed attributes, extension attributes by URN, and never their values', async () => {
    // Prepare
    const { resource } = await createUser(deps, { body: userData('n@example.com', { title: 'Engineer' }) });
    // Act
    const { effect } = await patchUser(deps, resource.id, patch({ op: 'replace', value: { title: 'Lead', [`${ENTERPRISE}:department`]: 'R&D' } }));
    // Assess
    expect(effect.attributes).toEqual(['title', `${ENTERPRISE}:department`]);
    expect(JSON.stringify(effect)).not.toContain('Lead');
  });

  it('counts a user created inactive as created and deactivated', async () => {
    // Act
    const { effect } = await createUser(deps, { body: { schemas: [USER], userName: 'i@example.com', active: false } });
    // Assess
    expect(effectMetrics(effect)).toEqual([{ name: 'UsersCreated', value: 1 }, { name: 'UsersDeactivated', value: 1 }]);
  });

  it('re-reads and re-applies a PATCH after a concurrent write, so no update is lost', async () => {
    // Prepare
    const { resource } = await createUser(deps, { body: userData('r@example.com') });
    // Act: ten PATCHes of different attributes at once
    const titles = Array.from({ length: 10 }, (_, i) => `urn:x:${i}`);
    await Promise.all(titles.map((v, i) => patchUser(deps, resource.id, patch({ op: 'add', path: i % 2 ? 'title' : 'nickName', value: v }))));
    const results = await Promise.all([
      patchUser(deps, resource.id, patch({ op: 'replace', path: 'displayName', value: 'D' })),
      patchUser(deps, resource.id, patch({ op: 'replace', path: 'profileUrl', value: 'https://example.com/p' })),
    ]);
    // Assess
    const final = await h.store.getUser(resource.id);
    expect(final?.data).toMatchObject({ displayName: 'D', profileUrl: 'https://example.com/p' });
    expect(Math.max(...results.map((r) => r.resource.version))).toBe(final?.version);
  });

  it('reports a delete as its effect', async () => {
    // Prepare
    const { resource } = await createUser(deps, { body: userData('x@example.com') });
    // Act
    const { effect } = await deleteUser(deps, resource.id, {});
    // Assess
    expect(effect).toEqual({ resourceType: 'User', id: resource.id, change: 'deleted', attributes: [], membersAdded: [], membersRemoved: [] });
    expect(effectMetrics(effect)).toEqual([{ name: 'UsersDeleted', value: 1 }]);
  });
});
