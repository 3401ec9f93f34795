/**
 * The change feed's pure core: stream record in, change events out. No AWS SDK, no I/O: the stream
 * handler (lambdas/handlers/stream.ts) and the local poller feed it records and publish what it
 * returns through lambdas/feed.
 */
export { deriveEvents, MAX_MEMBERS_PER_EVENT, type DeriveOptions } from './deriveEvents';
export { changedAttributes } from './changedAttributes';
export { eventId } from './eventId';
export { EVENT_TYPES, EVENT_SCHEMA_VERSION, type EventType, type EventPayload } from './eventTypes';
export { EVENT_SCHEMAS, changeEventSchema, eventJsonSchema, eventSchemaPath, type ChangeEvent, type ChangeEventOf } from './schemas';
export { RESOURCE_ITEM_SORT_KEY, keyPrefixOf, type ChangeRecord } from './changeRecord';
export { renderEventResource } from './renderEventResource';
