import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EVENT_TYPES, eventSchemaPath, type EventType } from '../../lambdas/events';

const validators = new Map<EventType, z.ZodType>();

/** The committed JSON Schema of `type` (docs/events/v1/), as a zod validator. */
export function committedSchema(type: EventType): z.ZodType {
  let v = validators.get(type);
  if (!v) {
    const json = JSON.parse(readFileSync(new URL(`../../docs/events/${eventSchemaPath(type)}`, import.meta.url), 'utf8'));
    v = z.fromJSONSchema(json);
    validators.set(type, v);
  }
  return v;
}

/**
 * Throws unless `event` validates against the committed JSON Schema of its own type: what
 * consumers read in docs/events is what the tests check.
 */
export function assertValidEvent(event: unknown): void {
  const type = (event as { type?: unknown }).type;
  if (!(EVENT_TYPES as readonly unknown[]).includes(type)) throw new Error(`unknown event type ${String(type)}`);
  const result = committedSchema(type as EventType).safeParse(event);
  if (!result.success) throw new Error(`${String(type)} does not match its schema: ${JSON.stringify(result.error.issues)}`);
}
