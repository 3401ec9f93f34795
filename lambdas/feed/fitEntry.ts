import type { ChangeEvent } from '../events';

/**
 * EventBridge and SQS take at most 256 KB an entry; a resource may hold up to ~380 KB of
 * attributes (lambdas/store/items.ts). Such an event goes out without `data.resource` and with
 * `data.resourceOmitted: true`, so the consumer knows to read the resource (the reader, or GET).
 */
export const MAX_ENTRY_BYTES = 256 * 1024 - 1024;

/** The event's JSON, without the resource when the whole would not fit one entry. */
export function fitEntry(event: ChangeEvent, maxBytes = MAX_ENTRY_BYTES): string {
  const full = JSON.stringify(event);
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const { resource: _resource, ...data } = event.data as Record<string, unknown>;
  return JSON.stringify({ ...event, data: { ...data, resourceOmitted: true } });
}
