import { WRITE_STAMP_ATTRIBUTE, type WriteStamp } from '../store/changeAttributes';
import type { ChangeRecord } from './changeRecord';
import type { EventType } from './eventTypes';
import type { ChangeEvent } from './schemas';

/**
 * One line of the audit trail: who changed what, when, from where. Derived from the same committed
 * stream record as the change events (deriveEvents), so a write that did not commit leaves none and
 * one that did always does (at least once; an entry is keyed by its event id, so a redelivery
 * rewrites it instead of adding a second).
 */
export interface AuditEntry {
  /** Commit time. */
  readonly at: string;
  /** The change event this entry records (its id: stable across redeliveries). */
  readonly eventId: string;
  /** What happened: `user.deactivated` is the deprovisioning, `user.deleted` the deletion. */
  readonly operation: EventType;
  readonly tenant: string;
  readonly resourceType: 'User' | 'Group';
  readonly resourceId: string;
  readonly externalId?: string;
  readonly versionBefore: number;
  readonly versionAfter: number;
  /** Attribute names an update changed (never values). */
  readonly changedAttributes?: readonly string[];
  /** Member ids a membership change added or removed. */
  readonly memberIds?: readonly string[];
  /** Token id and label of the writer (never the token); null for the store's own cleanup. */
  readonly actor: { readonly tokenId: string; readonly label?: string } | null;
  readonly requestId: string | null;
  /** The client's address as API Gateway saw it. */
  readonly sourceIp: string | null;
}

/** The audit entries of one stream record: one per event it yields, with the writer's address from the item's stamp. */
export function auditEntriesOf(record: ChangeRecord, events: readonly ChangeEvent[]): AuditEntry[] {
  // The new image carries the stamp of the write (a delete's hidden item or tombstone included).
  const stamp = (record.newImage?.[WRITE_STAMP_ATTRIBUTE] ?? {}) as WriteStamp;
  return events.map((e) => {
    const data = e.data as { changedAttributes?: string[]; members?: { value: string }[] };
    return {
      at: e.time,
      eventId: e.id,
      operation: e.type,
      tenant: e.tenant,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      ...(e.externalId !== undefined ? { externalId: e.externalId } : {}),
      versionBefore: e.previousVersion,
      versionAfter: e.version,
      ...(data.changedAttributes ? { changedAttributes: data.changedAttributes } : {}),
      ...(data.members ? { memberIds: data.members.map((m) => m.value) } : {}),
      actor: e.actor,
      requestId: e.requestId,
      sourceIp: stamp.sourceIp ?? null,
    };
  });
}
