import type { SchemaRegistry } from '../scim/schema';
import { MEMBER_CHANGE_ATTRIBUTE, WRITE_STAMP_ATTRIBUTE, type MemberChange, type MemberChangeEntry, type WriteStamp } from '../store/changeAttributes';
import { parseResourceKey } from '../store/keys';
import { changedAttributes } from './changedAttributes';
import type { ChangeRecord } from './changeRecord';
import { eventId } from './eventId';
import { EVENT_SCHEMA_VERSION, type EventPayload, type EventType } from './eventTypes';
import { renderEventResource, type ItemResource } from './renderEventResource';
import type { ChangeEvent } from './schemas';

/** Options of deriveEvents: the tenant's identity and what `data` carries. */
export interface DeriveOptions {
  readonly tenant: string;
  /** @default 'full' */
  readonly payload?: EventPayload;
  /** The tenant's schemas, for the `returned` rules of `data.resource`. */
  readonly registry: SchemaRegistry;
}

/**
 * A membership event lists at most this many members. A group version carries under 100 member
 * changes already (the store commits a large change in chunks of one transaction each, DynamoDB's
 * 100-action limit), so this only guards the EventBridge entry size (256 KB) if that ever changes.
 */
export const MAX_MEMBERS_PER_EVENT = 100;

type Item = Record<string, unknown>;

/** A resource item image as the store writes it (lambdas/store/items.ts), or undefined for any other item. */
interface ResourceImage extends ItemResource {
  /** The key space's prefix: empty in a silo table, `<tenant>#` in a pooled one. */
  readonly keyPrefix: string;
  readonly deleting?: string;
  readonly memberCount?: number;
  readonly stamp: WriteStamp;
  readonly delta?: MemberChange;
}

function resourceImage(item: Item | undefined): ResourceImage | undefined {
  if (!item) return undefined;
  // The key decides, not the attributes: only `<prefix>USER#<id>` / `GROUP#<id>` with SK META is a resource.
  const key = parseResourceKey(item);
  if (!key || item.resourceType !== key.type || item.id !== key.id) return undefined;
  const delta = item[MEMBER_CHANGE_ATTRIBUTE] as MemberChange | undefined;
  return {
    keyPrefix: key.prefix,
    resourceType: key.type,
    id: key.id,
    version: Number(item.version ?? 0),
    created: String(item.created ?? ''),
    lastModified: String(item.lastModified ?? ''),
    data: (item.data ?? {}) as Record<string, unknown>,
    deleting: typeof item.deleting === 'string' ? item.deleting : undefined,
    memberCount: item.memberCount === undefined ? undefined : Number(item.memberCount),
    stamp: (item[WRITE_STAMP_ATTRIBUTE] ?? {}) as WriteStamp,
    delta,
  };
}

/**
 * The change events one committed stream record stands for, derived from the item's old and new
 * images only (DESIGN.md: events read the effect of a write, never the request):
 * - a resource item inserted: `<type>.created`, plus `group.members_added` for the members written
 *   in the same transaction;
 * - a new version: `user.deactivated` / `user.reactivated` when `active` flipped, otherwise
 *   `<type>.updated` when any attribute changed (a no-op PATCH emits nothing), and for groups
 *   `group.members_added` / `group.members_removed` from the version's member delta;
 * - the item hidden by a delete (`deleting` set): `<type>.deleted`.
 * Everything else (membership and marker items, counters, the final removal of a hidden item,
 * `parentCount` bumps without a new version) yields nothing. Deterministic: the same record always
 * gives the same events with the same ids.
 */
export function deriveEvents(record: ChangeRecord, options: DeriveOptions): ChangeEvent[] {
  const before = resourceImage(record.oldImage);
  const after = resourceImage(record.newImage);
  const events: ChangeEvent[] = [];
  const payload = options.payload ?? 'full';
  const resource = (r: ResourceImage) => (payload === 'full' ? { resource: renderEventResource(r, options.registry) } : {});

  const emit = (type: EventType, r: ResourceImage, version: number, previousVersion: number, time: string | undefined, data: Record<string, unknown>, part = '') => {
    const externalId = r.data.externalId ?? before?.data.externalId;
    events.push({
      id: eventId(options.tenant, record.eventId + part, type),
      type,
      schemaVersion: EVENT_SCHEMA_VERSION,
      tenant: options.tenant,
      time: time || record.approximateTime || new Date(0).toISOString(),
      resourceType: r.resourceType,
      resourceId: r.id,
      ...(typeof externalId === 'string' ? { externalId } : {}),
      version,
      previousVersion,
      actor: r.stamp.tokenId ? { tokenId: r.stamp.tokenId, ...(r.stamp.label !== undefined ? { label: r.stamp.label } : {}) } : null,
      requestId: r.stamp.requestId ?? null,
      data,
    } as ChangeEvent);
  };

  const memberEvents = (r: ResourceImage, previousVersion: number) => {
    if (r.resourceType !== 'Group' || !r.delta) return;
    const lists: [EventType, readonly MemberChangeEntry[]][] = [
      ['group.members_removed', r.delta.remove ?? []],
      ['group.members_added', r.delta.add ?? []],
    ];
    for (const [type, members] of lists) {
      for (let i = 0; i < members.length; i += MAX_MEMBERS_PER_EVENT) {
        const part = i === 0 ? '' : `#${i / MAX_MEMBERS_PER_EVENT}`;
        const slice = members.slice(i, i + MAX_MEMBERS_PER_EVENT).map((m) => ({ value: m.value, type: m.type }));
        emit(type, r, r.version, previousVersion, r.lastModified, { members: slice, memberCount: r.memberCount ?? 0 }, part);
      }
    }
  };

  if (after && !after.deleting && !before) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return events;
    const type: EventType = after.resourceType === 'User' ? 'user.created' : 'group.created';
    const data = after.resourceType === 'Group' ? { ...resource(after), memberCount: after.memberCount ?? 0 } : resource(after);
    emit(type, after, after.version, 0, after.created || after.lastModified, data);
    memberEvents(after, after.version);
    return events;
  }
  if (before && !before.deleting && (after?.deleting || !after)) {
    // Hidden by a delete (the API answers 404 from this commit on), or removed without one.
    const type: EventType = before.resourceType === 'User' ? 'user.deleted' : 'group.deleted';
    const r = after ?? before;
    emit(type, { ...r, stamp: after ? after.stamp : {} }, before.version + 1, before.version, after?.deleting ?? record.approximateTime, {});
    return events;
  }
  if (!before || !after || before.deleting || after.deleting || after.version <= before.version) return events;

  const changed = changedAttributes(before.data, after.data);
  if (after.resourceType === 'User') {
    const wasActive = before.data.active !== false;
    const isActive = after.data.active !== false;
    const type: EventType | undefined = wasActive && !isActive ? 'user.deactivated' : !wasActive && isActive ? 'user.reactivated' : changed.length > 0 ? 'user.updated' : undefined;
    if (type) emit(type, after, after.version, before.version, after.lastModified, { changedAttributes: changed, ...resource(after) });
    return events;
  }
  if (changed.length > 0) emit('group.updated', after, after.version, before.version, after.lastModified, { changedAttributes: changed, ...resource(after) });
  memberEvents(after, before.version);
  return events;
}
