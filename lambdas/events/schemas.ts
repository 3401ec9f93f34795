import { z } from 'zod';
import { EVENT_SCHEMA_VERSION, EVENT_TYPES, type EventType } from './eventTypes';

/**
 * The change events as zod schemas: the source of the JSON Schemas in docs/events/v1/ (written by
 * `npm run events:schemas`; a test fails when the committed files drift from these). Validation in
 * tests goes the other way, through the committed JSON Schema files (z.fromJSONSchema), so what
 * consumers read is what is checked. zod instead of ajv: zod is already the project's validator,
 * and one more JSON Schema engine in a lockfile shared by eight branches buys nothing here.
 */

const iso = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp');

/** Who made the change: the token's public id and label, never the token itself. Null for system work. */
export const actorSchema = z
  .looseObject({
    tokenId: z.string().describe('public token id (tok_…)'),
    label: z.string().optional().describe('label the operator gave the token'),
  })
  .nullable();

/** A member listed by a membership event. */
export const memberSchema = z.object({ value: z.string(), type: z.enum(['User', 'Group']) });

/** The resource as SCIM returns it (no `returned: never` attribute such as password), without meta.location. */
export const resourceSchema = z
  .looseObject({
    schemas: z.array(z.string()),
    id: z.string(),
    meta: z.looseObject({
      resourceType: z.enum(['User', 'Group']),
      created: iso,
      lastModified: iso,
      version: z.string().describe('weak ETag, W/"<version>"'),
    }),
  })
  .describe('SCIM resource after the change; absent when the tenant publishes ids only');

function envelope<T extends EventType, D extends z.ZodType>(type: T, resourceType: 'User' | 'Group', data: D) {
  // Loose objects: a consumer must ignore fields it does not know, so adding an optional field is not a breaking change.
  return z
    .looseObject({
      id: z.string().regex(/^evt_[0-9a-f]{32}$/).describe('stable across redeliveries: de-duplicate on it'),
      type: z.literal(type),
      schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
      tenant: z.string(),
      time: iso.describe('when the change was committed'),
      resourceType: z.literal(resourceType),
      resourceId: z.string(),
      externalId: z.string().optional(),
      version: z.number().int().positive().describe('resource version after the change (meta.version); a delete counts as one more'),
      previousVersion: z.number().int().nonnegative().describe('resource version before the change; 0 for a create'),
      actor: actorSchema,
      requestId: z.string().nullable(),
      data,
    } as const)
    .describe(`${type} change event, schema version ${EVENT_SCHEMA_VERSION}`);
}

const withResource = z.looseObject({ resource: resourceSchema.optional() });
const changed = z.array(z.string()).describe('names of the attributes that changed (extension attributes URN-qualified)');
const updated = z.looseObject({ changedAttributes: changed, resource: resourceSchema.optional() });
const members = z.looseObject({
  members: z.array(memberSchema).min(1).describe('the members of this change; a large change spans several events'),
  memberCount: z.number().int().nonnegative().describe('members of the group after the change'),
});

/** One schema per event type. */
export const EVENT_SCHEMAS = {
  'user.created': envelope('user.created', 'User', withResource),
  'user.updated': envelope('user.updated', 'User', updated),
  'user.deactivated': envelope('user.deactivated', 'User', updated),
  'user.reactivated': envelope('user.reactivated', 'User', updated),
  'user.deleted': envelope('user.deleted', 'User', z.looseObject({})),
  'group.created': envelope('group.created', 'Group', withResource.extend({ memberCount: z.number().int().nonnegative() })),
  'group.updated': envelope('group.updated', 'Group', updated),
  'group.deleted': envelope('group.deleted', 'Group', z.looseObject({})),
  'group.members_added': envelope('group.members_added', 'Group', members),
  'group.members_removed': envelope('group.members_removed', 'Group', members),
} as const satisfies Record<EventType, z.ZodType>;

/** Any change event. */
export const changeEventSchema = z.discriminatedUnion('type', Object.values(EVENT_SCHEMAS) as unknown as [
  (typeof EVENT_SCHEMAS)['user.created'],
  ...(typeof EVENT_SCHEMAS)[EventType][],
]);

/** A change event of one type. */
export type ChangeEventOf<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** Any change event. */
export type ChangeEvent = { [T in EventType]: ChangeEventOf<T> }[EventType];

/** The JSON Schema document of one event type, as committed under docs/events/v1/. */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  return {
    $id: `urn:serverless-scim:events:v${EVENT_SCHEMA_VERSION}:${type}`,
    ...z.toJSONSchema(EVENT_SCHEMAS[type], { target: 'draft-2020-12' }),
  };
}

/** The file name of an event type's JSON Schema below docs/events/. */
export function eventSchemaPath(type: EventType): string {
  return `v${EVENT_SCHEMA_VERSION}/${type}.schema.json`;
}

export { EVENT_TYPES };
