import { AsyncLocalStorage } from 'node:async_hooks';
import type { WriteStamp } from './changeAttributes';

/**
 * The WriteStamp of the request being served. The HTTP chain sets it once per request
 * (lambdas/http/createScimHandler.ts) and the store reads it when it stamps an item, so every
 * write path (routes, /Bulk, provisioning use cases, the optimistic retries inside the store)
 * attributes its items to the right token without each signature carrying an `actor` argument.
 */
const current = new AsyncLocalStorage<WriteStamp>();

/** Runs `fn` with `stamp` as the attribution of every store write it makes. */
export function withWriteStamp<T>(stamp: WriteStamp, fn: () => T): T {
  return current.run(stamp, fn);
}

/** The attribution of the current request, or `{}` for system work (scheduled cleanup, scripts). */
export function currentWriteStamp(): WriteStamp {
  return current.getStore() ?? {};
}
