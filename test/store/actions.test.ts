import { withWriteStamp } from '../../lambdas/store/writeContext';
import { describe, expect, it } from 'vitest';
import {
  bumpCounter,
  cleanupItem,
  deleteMarker,
  dedupeMembers,
  hideResource,
  indexChanges,
  memberActions,
  memberCountDelta,
  onVersionFailed,
  putAudit,
  putMarker,
  splitOps,
  updateResourceData,
  type MemberOp,
  type TableRef,
} from '../../lambdas/store/actions';
import { KeySpace } from '../../lambdas/store/keys';
import { resourceIndexes, type StoredResource } from '../../lambdas/store/items';
import { RETRY } from '../../lambdas/store/transactWrite';
import { ConflictError, InvalidMemberError, NotFoundError, PreconditionFailedError } from '../../lambdas/store/errors';

// Pure builders: no DynamoDB here, only the requests they build and what their failures mean.
const t: TableRef = { table: 'tbl', keys: new KeySpace('') };
const pooled: TableRef = { table: 'tbl', keys: new KeySpace('acme#') };

const user = (data: Record<string, unknown>, version = 3): StoredResource => ({
  id: 'u1',
  resourceType: 'User',
  version,
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-01T00:00:00.000Z',
  data,
});

const op = (kind: MemberOp['kind'], value: string, type: 'User' | 'Group' = 'User'): MemberOp => ({ kind, member: { value, type } });

describe('putMarker', () => {
  const marker = resourceIndexes(t.keys, 'User', 'u1', { userName: 'Bob' }).unique[0];

  it('claims the lowercased marker only if it does not exist yet', () => {
    // Act
    const action = putMarker(t, 'User', 'u1', marker);
    // Assess
    expect(action.item.Put?.Item).toMatchObject({ PK: 'UNIQUE#USER#userName#bob', SK: 'UNIQUE', id: 'u1' });
    expect(action.item.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(action.item.Put?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('means a conflict naming the holder when another resource holds the marker, and a retry when we do', () => {
    // Act
    const action = putMarker(t, 'User', 'u1', marker);
    const taken = action.onConditionFailed?.({ id: 'u2' });
    const ours = action.onConditionFailed?.({ id: 'u1' });
    // Assess
    expect(taken).toBeInstanceOf(ConflictError);
    expect((taken as ConflictError).existingId).toBe('u2');
    expect((taken as ConflictError).attribute).toBe('userName');
    expect(ours).toBe(RETRY);
  });
});

describe('deleteMarker', () => {
  it('deletes a marker only while it belongs to its owner', () => {
    // Act
    const action = deleteMarker(t, { PK: 'UNIQUE#USER#userName#bob', SK: 'UNIQUE' }, 'u1');
    // Assess
    expect(action.item.Delete?.ConditionExpression).toContain('id = :ownerId');
    expect(action.item.Delete?.ExpressionAttributeValues).toEqual({ ':ownerId': 'u1' });
    expect(action.onConditionFailed?.(undefined)).toBe(RETRY);
  });
});

describe('indexChanges', () => {
  const indexes = (data: Record<string, unknown>) => resourceIndexes(t.keys, 'User', 'u1', data);

  it('writes nothing when only the case of userName changes and the emails are the same', () => {
    // Act
    const actions = indexChanges(t, 'User', 'u1', indexes({ userName: 'bob', emails: [{ value: 'b@x.io' }] }), indexes({ userName: 'BOB', emails: [{ value: 'B@x.io' }] }));
    // Assess
    expect(actions).toEqual([]);
  });

  it('swaps the userName marker and the externalId lookup when both change', () => {
    // Act
    const actions = indexChanges(t, 'User', 'u1', indexes({ userName: 'bob', externalId: 'e1' }), indexes({ userName: 'robert', externalId: 'e2' }));
    // Assess: release old marker, claim new one, drop old lookup, write new one
    expect(actions.map((a) => Object.keys(a.item)[0])).toEqual(['Delete', 'Put', 'Delete', 'Put']);
    expect(actions[0].item.Delete?.Key).toEqual({ PK: 'UNIQUE#USER#userName#bob', SK: 'UNIQUE' });
    expect(actions[1].item.Put?.Item?.PK).toBe('UNIQUE#USER#userName#robert');
    expect(actions[2].item.Delete?.Key).toEqual({ PK: 'LOOKUP#USER#externalId#e1', SK: 'u1' });
    expect(actions[3].item.Put?.Item).toEqual({ PK: 'LOOKUP#USER#externalId#e2', SK: 'u1', id: 'u1' });
  });

  it('rewrites an email lookup whose types changed', () => {
    // Act
    const actions = indexChanges(t, 'User', 'u1', indexes({ userName: 'b', emails: [{ value: 'b@x.io', type: 'work' }] }), indexes({ userName: 'b', emails: [{ value: 'b@x.io', type: 'home' }] }));
    // Assess
    expect(actions).toHaveLength(1);
    expect(actions[0].item.Put?.Item).toMatchObject({ PK: 'LOOKUP#USER#email#b@x.io', emailTypes: ['home'] });
  });
});

describe('onVersionFailed', () => {
  it('means not found for a missing or deleting item, 412 for a version If-Match does not allow, and a retry otherwise', () => {
    // Act
    const decide = onVersionFailed('User', 'u1', [3, 4]);
    // Assess
    expect(decide(undefined)).toBeInstanceOf(NotFoundError);
    expect(decide({ version: 3, deleting: '2026-01-01' })).toBeInstanceOf(NotFoundError);
    expect(decide({ version: 5 })).toBeInstanceOf(PreconditionFailedError);
    expect(decide({ version: 4 })).toBe(RETRY);
    expect(onVersionFailed('User', 'u1', undefined)({ version: 9 })).toBe(RETRY);
  });
});

describe('updateResourceData', () => {
  it('writes data and the next version on the version read, and adds the member delta for groups only', () => {
    // Prepare
    const from = user({ userName: 'a' });
    const group: StoredResource = { ...from, resourceType: 'Group', id: 'g1', memberCount: 2 };
    // Act
    const u = updateResourceData(t, from, { ...from, version: 4, data: { userName: 'b' } }, 0);
    const g = updateResourceData(t, group, { ...group, version: 4 }, -1);
    // Assess
    expect(u.Key).toEqual({ PK: 'USER#u1', SK: 'META' });
    expect(u.UpdateExpression).not.toContain('memberCount');
    expect(u.ExpressionAttributeValues).toMatchObject({ ':expectedVersion': 3, ':next': 4, ':data': { userName: 'b' } });
    expect(g.UpdateExpression).toContain('ADD memberCount :delta');
    expect(g.ExpressionAttributeValues[':delta']).toBe(-1);
  });
});

describe('change-feed stamps', () => {
  it('stamp the writer of the current request on every version, and the members of a group version', () => {
    // Prepare
    const from = user({ userName: 'a' });
    const group: StoredResource = { ...from, resourceType: 'Group', id: 'g1', memberCount: 2 };
    const stamp = { tokenId: 'tok_0123456789ab', label: 'entra', requestId: 'r1' };
    // Act
    const [u, g, quiet] = withWriteStamp(stamp, () => [
      updateResourceData(t, from, { ...from, version: 4 }, 0),
      updateResourceData(t, group, { ...group, version: 4 }, 1, { add: [{ value: 'u9', type: 'User' }], remove: [] }),
      updateResourceData(t, group, { ...group, version: 4 }, 0),
    ]);
    // Assess
    expect(u.ExpressionAttributeValues[':wb']).toEqual(stamp);
    expect(u.UpdateExpression).not.toContain('#mc');
    expect(g.ExpressionAttributeValues[':mc']).toEqual({ add: [{ value: 'u9', type: 'User' }], remove: [] });
    // A group version without member changes drops the previous one, so it never replays.
    expect(quiet.UpdateExpression).toMatch(/REMOVE #mc$/);
    expect(quiet.ExpressionAttributeNames).toMatchObject({ '#mc': 'memberChange', '#wb': 'writtenBy' });
  });
});

describe('hideResource', () => {
  it('marks the resource deleting and removes it from the listing index, on the version read', () => {
    // Act
    const action = hideResource(t, user({ userName: 'a' }), '2026-02-02T00:00:00.000Z', 3);
    // Assess
    expect(action.item.Update?.UpdateExpression).toBe('SET deleting = :now, #wb = :wb REMOVE GSI2PK, GSI2SK');
    expect(action.item.Update?.ExpressionAttributeValues).toEqual({ ':now': '2026-02-02T00:00:00.000Z', ':expectedVersion': 3, ':wb': {} });
    expect(action.onConditionFailed?.({ version: 4 })).toBeInstanceOf(PreconditionFailedError);
  });
});

describe('memberActions', () => {
  it('adds a user member with its reverse-index entry in one action', () => {
    // Act
    const actions = memberActions(t, 'g1', op('add', 'u1'));
    // Assess
    expect(actions).toHaveLength(1);
    expect(actions[0].item.Put?.Item).toEqual({ PK: 'GROUP#g1', SK: 'MEMBER#u1', groupId: 'g1', memberId: 'u1', memberType: 'User', GSI1PK: 'MEMBER#u1', GSI1SK: 'GROUP#g1' });
    expect(actions[0].onConditionFailed?.(undefined)).toBe(RETRY);
  });

  it('also bumps the parentCount and the parents set of a nested group, and a vanished nested group is an invalid member', () => {
    // Act
    const add = memberActions(t, 'g1', op('add', 'g2', 'Group'));
    const remove = memberActions(t, 'g1', op('remove', 'g2', 'Group'));
    // Assess
    expect(add).toHaveLength(2);
    expect(add[1].item.Update?.Key).toEqual({ PK: 'GROUP#g2', SK: 'META' });
    expect(add[1].item.Update?.ExpressionAttributeValues).toEqual({ ':d': 1, ':p': new Set(['g1']) });
    expect(add[1].item.Update?.UpdateExpression).toBe('ADD parentCount :d, parents :p');
    expect(add[1].onConditionFailed?.(undefined)).toBeInstanceOf(InvalidMemberError);
    expect(remove[0].item.Delete?.Key).toEqual({ PK: 'GROUP#g1', SK: 'MEMBER#g2' });
    expect(remove[1].item.Update?.ExpressionAttributeValues).toEqual({ ':d': -1, ':p': new Set(['g1']) });
    expect(remove[1].item.Update?.UpdateExpression).toBe('ADD parentCount :d DELETE parents :p');
    expect(remove[1].onConditionFailed?.(undefined)).toBe(RETRY);
  });
});

describe('splitOps', () => {
  it('fits the first part into the room left, counting a nested group twice', () => {
    // Act
    const { first, rest } = splitOps([op('add', 'a'), op('add', 'g', 'Group'), op('add', 'b')], 3);
    // Assess
    expect(first.map((o) => o.member.value)).toEqual(['a', 'g']);
    expect(rest.map((o) => o.member.value)).toEqual(['b']);
  });

  it('counts adds up and removes down', () => {
    expect(memberCountDelta([op('add', 'a'), op('add', 'b'), op('remove', 'c')])).toBe(1);
  });

  it('keeps the last of duplicate members and drops empty values', () => {
    expect(dedupeMembers([{ value: 'a', display: '1' }, { value: '' }, { value: 'a', display: '2' }])).toEqual([{ value: 'a', display: '2' }]);
  });
});

describe('bumpCounter, putAudit and cleanupItem', () => {
  it('adds to the chosen counter shard', () => {
    expect(bumpCounter(t, 'Group', -1, 5).item.Update).toMatchObject({ Key: { PK: 'COUNTER#GROUP', SK: '5' }, ExpressionAttributeValues: { ':d': -1 } });
  });

  it('records ids and the externalId, never personal data, and expires after the retention', () => {
    // Act
    const at = new Date('2026-03-01T12:00:00.000Z');
    const item = putAudit(t, { at, type: 'User', id: 'u1', action: 'deactivate', data: { userName: 'alice@example.com', externalId: 'e1' }, actor: 'tok' }, 10).item.Put?.Item;
    // Assess
    expect(item).toEqual({
      PK: 'AUDIT#2026-03-01',
      SK: '2026-03-01T12:00:00.000Z#USER#u1#deactivate',
      at: at.toISOString(),
      action: 'deactivate',
      resourceType: 'User',
      resourceId: 'u1',
      externalId: 'e1',
      actor: 'tok',
      expiresAt: at.getTime() / 1000 + 10 * 86_400,
    });
  });

  it('writes a pending cleanup first without, then with its recheck time and an expiry', () => {
    // Act
    const started = cleanupItem(t, 'Group', 'g1', { at: new Date('2026-03-01T00:00:00.000Z') });
    const done = cleanupItem(t, 'Group', 'g1', { recheckAfter: new Date('2026-03-01T00:01:00.000Z') });
    // Assess
    expect(started).toEqual({ PK: 'CLEANUP', SK: 'GROUP#g1', at: '2026-03-01T00:00:00.000Z' });
    expect(done.recheckAfter).toBe('2026-03-01T00:01:00.000Z');
    expect(typeof done.expiresAt).toBe('number');
  });
});

describe('builders in a pooled key space', () => {
  it('put every partition key, index partition included, inside the tenant prefix', () => {
    // Act
    const marker = resourceIndexes(pooled.keys, 'User', 'u1', { userName: 'bob', externalId: 'e' });
    const actions = [
      putMarker(pooled, 'User', 'u1', marker.unique[0]),
      ...memberActions(pooled, 'g1', op('add', 'g2', 'Group')),
      bumpCounter(pooled, 'User', 1, 0),
      putAudit(pooled, { at: new Date(), type: 'User', id: 'u1', action: 'delete', data: {} }, 1),
    ];
    const pks = actions.flatMap((a) => {
      const i = a.item.Put?.Item ?? a.item.Update?.Key ?? a.item.Delete?.Key ?? {};
      return [i.PK, i.GSI1PK, i.GSI2PK].filter((k) => k !== undefined);
    });
    // Assess
    expect(pks.length).toBeGreaterThan(4);
    for (const pk of [...pks, marker.lookups[0].key.PK, cleanupItem(pooled, 'User', 'u1', { at: new Date() }).PK]) expect(pk).toMatch(/^acme#/);
  });
});
