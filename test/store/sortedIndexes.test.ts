import { describe, expect, it } from 'vitest';
import { KeySpace } from '../../lambdas/store/keys';
import { toResourceItem } from '../../lambdas/store/items';
import { instantSortKey, namePrefixKey, nameSortKey, sortedIndexAttributes, sortedIndexFor } from '../../lambdas/store/sortedIndexes';
import { compareCodePoints } from '../../lambdas/scim/compareSortValues';

const user = (data: Record<string, unknown>) => ({ id: 'u1', resourceType: 'User' as const, version: 1, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-02T00:00:00.000Z', data });

describe('sorted index keys', () => {
  it('keeps names in the order the in-memory sort gives them: lowercased, missing after every name', () => {
    // Prepare
    const names = ['bob', 'Alice', undefined, 'ALBERT', 'zoë', '', 'Zed'];
    // Act
    const keys = names.map(nameSortKey).sort(compareCodePoints);
    // Assess
    expect(keys).toEqual(['1albert', '1alice', '1bob', '1zed', '1zoë', '2', '2']);
    expect(nameSortKey('Al').startsWith(namePrefixKey('al'))).toBe(true);
  });

  it('cuts a name to fit DynamoDB\'s 1,024-byte sort key, on a character boundary', () => {
    const key = nameSortKey('é'.repeat(600));
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(1001);
    expect(key.endsWith('é')).toBe(true);
  });

  it('writes the instants the store writes', () => {
    expect(instantSortKey(Date.parse('2026-01-02T00:00:00Z'))).toBe('2026-01-02T00:00:00.000Z');
  });

  it('puts every index partition inside the tenant\'s key space (pooled tables)', () => {
    // Act
    const attrs = sortedIndexAttributes(new KeySpace('acme#'), user({ userName: 'Bob', displayName: 'B' }));
    // Assess
    expect(attrs).toEqual({
      GSI3PK: 'acme#ORDER#USER#userName',
      GSI3SK: '1bob',
      GSI4PK: 'acme#ORDER#USER#lastModified',
      GSI4SK: '2026-01-02T00:00:00.000Z',
      GSI5PK: 'acme#ORDER#USER#displayName',
      GSI5SK: '1b',
    });
  });

  it('indexes groups by displayName in the name index, and users without displayName last', () => {
    const group = toResourceItem({ id: 'g1', resourceType: 'Group', version: 1, created: 'c', lastModified: 'm', data: { displayName: 'Sales' } });
    expect(group).toMatchObject({ GSI3PK: 'ORDER#GROUP#displayName', GSI3SK: '1sales', GSI4SK: 'm' });
    expect(group.GSI5PK).toBeUndefined();
    expect(toResourceItem(user({ userName: 'a' }))).toMatchObject({ GSI5SK: '2' });
    expect(sortedIndexFor('Group', 'userName')).toBeUndefined();
    expect(sortedIndexFor('Group', 'displayName')?.gsi.indexName).toBe('GSI3');
    expect(sortedIndexFor('User', 'displayName')?.gsi.indexName).toBe('GSI5');
  });
});
