import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { findMatchingRecord } from '../../lambdas/auth/findMatchingRecord';
import { issued } from './fixtures';

// ESM namespaces cannot be spied on; wrap the real timingSafeEqual to observe the default path.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('findMatchingRecord', () => {
  it('uses crypto.timingSafeEqual by default, once per record, and finds the match wherever it is', () => {
    // Prepare
    const records = [issued(), issued(), issued()];
    const equal = vi.mocked(crypto.timingSafeEqual);
    equal.mockClear();
    // Act
    const match = findMatchingRecord(records[1].token, records.map((r) => r.record));
    // Assess
    expect(match?.id).toBe(records[1].record.id);
    expect(equal).toHaveBeenCalledTimes(3);
  });

  it('returns undefined for an unknown token after comparing with every record', () => {
    const records = [issued(), issued()];
    const equal = vi.fn(() => false);
    expect(findMatchingRecord(issued().token, records.map((r) => r.record), equal)).toBeUndefined();
    expect(equal).toHaveBeenCalledTimes(2);
  });
});
