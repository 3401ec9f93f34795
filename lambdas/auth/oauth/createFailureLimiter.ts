import { FAILURE_WINDOW_SECONDS, MAX_FAILURES_PER_WINDOW } from './constants';

/** Counts failed client authentications per key and says when a key must wait. */
export interface FailureLimiter {
  /** Seconds the key must still wait, or 0 when it may try. */
  retryAfterSeconds(key: string): number;
  /** Records one failure of `key`. */
  fail(key: string): void;
}

/** Options of createFailureLimiter. */
export interface FailureLimiterOptions {
  /** @default MAX_FAILURES_PER_WINDOW */
  readonly maxFailures?: number;
  /** @default FAILURE_WINDOW_SECONDS */
  readonly windowSeconds?: number;
  /** Keys remembered at most (oldest forgotten first), so a flood of keys cannot grow memory. @default 10_000 */
  readonly maxKeys?: number;
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * A fixed-window failure counter held in the container: after `maxFailures` failures within a
 * window, a key (client_id + source IP) waits for the window's end. Per container by design: the
 * token function's reserved concurrency bounds the containers, so an attacker gets at most
 * containers x maxFailures guesses per window, on top of API Gateway's method throttling, and
 * the legitimate client from another address is never locked out by a guesser.
 */
export function createFailureLimiter(options: FailureLimiterOptions = {}): FailureLimiter {
  const now = options.now ?? Date.now;
  const max = options.maxFailures ?? MAX_FAILURES_PER_WINDOW;
  const windowMs = (options.windowSeconds ?? FAILURE_WINDOW_SECONDS) * 1000;
  const maxKeys = options.maxKeys ?? 10_000;
  const entries = new Map<string, { count: number; windowEnd: number }>();
  const current = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.windowEnd <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    retryAfterSeconds(key) {
      const entry = current(key);
      return entry && entry.count >= max ? Math.max(1, Math.ceil((entry.windowEnd - now()) / 1000)) : 0;
    },
    fail(key) {
      const entry = current(key);
      if (entry) {
        entry.count += 1;
        return;
      }
      if (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string);
      entries.set(key, { count: 1, windowEnd: now() + windowMs });
    },
  };
}
