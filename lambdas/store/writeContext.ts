import { AsyncLocalStorage } from 'node:async_hooks';
import type { WriteStamp } from './changeAttributes';

/**
 * What the request being served carries through its async calls, in ONE AsyncLocalStorage for
 * every layer. Each instance adds its own step to the creation of every promise (async_hooks
 * copies each instance's store onto each new promise: about 0.1 µs a promise per instance on
 * Node 20, and one request through the SDK creates hundreds of promises), so the HTTP layer's
 * telemetry rides in this scope instead of a second instance. Each layer owns one field.
 */
export interface RequestScope {
  /**
   * The attribution of every store write the request makes. The HTTP chain sets it once per
   * request (lambdas/http/createScimHandler.ts) and the store reads it when it stamps an item, so
   * every write path (routes, /Bulk, provisioning use cases, the optimistic retries inside the
   * store) attributes its items to the right token without each signature carrying an `actor`.
   */
  readonly writeStamp?: WriteStamp;
  /** The HTTP layer's metrics and log keys (lambdas/http/observability.ts); opaque to the store. */
  readonly telemetry?: object;
}

const current = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` in `scope` (the fields it leaves out are absent inside, not inherited). */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return current.run(scope, fn);
}

/** The scope of the request being served, if any. */
export function currentScope(): RequestScope | undefined {
  return current.getStore();
}

/** Runs `fn` with `stamp` as the attribution of every store write it makes (the rest of the scope kept). */
export function withWriteStamp<T>(stamp: WriteStamp, fn: () => T): T {
  return current.run({ ...current.getStore(), writeStamp: stamp }, fn);
}

/** The attribution of the current request, or `{}` for system work (scheduled cleanup, scripts). */
export function currentWriteStamp(): WriteStamp {
  return current.getStore()?.writeStamp ?? {};
}
