import { describe, expect, it } from 'vitest';
import { serializedBytes, takeWithinBudget } from '../../lambdas/scim/responseBudget';

describe('serializedBytes', () => {
  it.each([
    ['plain ASCII', { a: 'xyz' }],
    ['quotes, counted twice over', { a: '"""' }],
    ['a control character', { a: '\u0001' }],
    ['non-ASCII text as UTF-8', { a: 'é中😀' }],
  ])('measures %s as it adds to a serialized proxy result', (_name, value) => {
    // Prepare: the size of a body holding [value, value], minus the one holding [].
    const withTwo = Buffer.byteLength(JSON.stringify({ body: JSON.stringify([value, value]) }));
    const empty = Buffer.byteLength(JSON.stringify({ body: JSON.stringify([]) }));
    // Act / Assess: two elements and one separating comma.
    expect(2 * serializedBytes(value) - 1).toBe(withTwo - empty);
  });
});

describe('takeWithinBudget', () => {
  const item = (n: number) => ({ v: 'x'.repeat(n) });

  it('keeps every item when they fit', async () => {
    const r = await takeWithinBudget([10, 10, 10], async (n) => item(n), 1_000);
    expect(r.items).toHaveLength(3);
    expect(r.truncated).toBe(false);
    expect(r.bytes).toBe(3 * serializedBytes(item(10)));
  });

  it('stops at the first item that does not fit, never skipping it for a smaller one', async () => {
    const size = serializedBytes(item(100));
    const r = await takeWithinBudget([100, 100, 500, 1], async (n) => item(n), 2 * size + 10);
    expect(r.items.map((i) => i.v.length)).toEqual([100, 100]);
    expect(r.truncated).toBe(true);
  });

  it('renders no more than one window past the budget', async () => {
    let rendered = 0;
    await takeWithinBudget(Array.from({ length: 100 }, () => 100), async (n) => (rendered++, item(n)), serializedBytes(item(100)) * 3, 4);
    expect(rendered).toBe(4);
  });

  it('returns nothing, truncated, when the first item alone is over the budget', async () => {
    const r = await takeWithinBudget([1_000], async (n) => item(n), 10);
    expect(r).toEqual({ items: [], bytes: 0, truncated: true });
  });
});
