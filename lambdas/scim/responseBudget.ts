/**
 * Byte budgets for responses. Lambda measures a synchronous result on its serialized form, and for
 * an API Gateway proxy result the SCIM body is a string inside that JSON, escaped a second time
 * (every `"` of the body costs two bytes, a control character seven). A response is only known to
 * fit when measured that way, so list pages are cut by it (RFC 7644 §3.4.2.4 lets `itemsPerPage`
 * be smaller than the `count` asked for).
 */

/**
 * The bytes `value` adds to a serialized proxy result as one element of a JSON body: its JSON,
 * escaped once more as part of the body string, plus the comma that separates it from the next.
 */
export function serializedBytes(value: unknown): number {
  const body = JSON.stringify(value) ?? 'null';
  // JSON.stringify(body) wraps it in quotes: minus those two, plus one for the separating comma.
  return Buffer.byteLength(JSON.stringify(body), 'utf8') - 1;
}

/** What {@link takeWithinBudget} kept. */
export interface WithinBudget<T> {
  /** The first items, in order, whose serialized size fits the budget. */
  readonly items: T[];
  /** Their serialized size ({@link serializedBytes} summed). */
  readonly bytes: number;
  /** True when an item was left out for lack of room (the page is shorter than asked). */
  readonly truncated: boolean;
}

/**
 * Renders `sources` in order, `window` at a time (so at most one window is rendered past the
 * budget), and keeps the longest prefix whose serialized size fits `budget` bytes. Stops at the
 * first item that does not fit: a page never skips a resource, so `startIndex + itemsPerPage` (or
 * the cursor after the last kept item) continues exactly where it ended.
 */
export async function takeWithinBudget<S, T>(
  sources: readonly S[],
  render: (source: S) => Promise<T>,
  budget: number,
  window = 8,
): Promise<WithinBudget<T>> {
  const items: T[] = [];
  let bytes = 0;
  for (let start = 0; start < sources.length; start += window) {
    const rendered = await Promise.all(sources.slice(start, start + window).map(render));
    for (const item of rendered) {
      const size = serializedBytes(item);
      if (bytes + size > budget) return { items, bytes, truncated: true };
      items.push(item);
      bytes += size;
    }
  }
  return { items, bytes, truncated: false };
}
