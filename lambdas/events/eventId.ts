import { createHash } from 'node:crypto';
import type { EventType } from './eventTypes';

/**
 * The id of the event of `type` derived from one stream record. A stream record keeps its
 * `eventID` when Lambda redelivers it (retry, partial batch failure, replay), so the same change
 * always yields the same event id and consumers de-duplicate on it. The tenant is part of the
 * input so ids never collide across tenants' tables.
 */
export function eventId(tenant: string, streamEventId: string, type: EventType): string {
  return `evt_${createHash('sha256').update(`${tenant}\n${streamEventId}\n${type}`).digest('hex').slice(0, 32)}`;
}
