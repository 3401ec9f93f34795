/**
 * The change events the feed publishes, one per committed change (see deriveEvents). Names follow
 * `<resource>.<what happened>` like the directory-sync services vendors compare us with.
 */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
] as const;

/** One change event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The envelope's schema version. Bumped (with a new docs/events/v<N>/ folder) on any change a
 * consumer could trip over: a removed or renamed field, a narrowed type. Adding an optional field
 * keeps the version.
 */
export const EVENT_SCHEMA_VERSION = 1;

/** What `data` carries: the resource after the change (`full`) or only ids (`ids`). */
export type EventPayload = 'full' | 'ids';
