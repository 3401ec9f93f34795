import { UsageError } from './UsageError';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 365 * 86_400_000 };

/** Parses `90d`, `12h`, `30m`, `2w`, `1y` into milliseconds; throws UsageError otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,6})([mhdwy])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`--expires-in: expected a positive duration like 90d, 12h, 30m, 2w or 1y, got "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}
