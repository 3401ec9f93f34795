import type { ChangeEvent } from '../events';
import type { EventSink } from './EventSink';

/** One line per event for `npm start`: time, type, resource, version, actor, and the id to de-duplicate on. */
export function formatEventLine(e: ChangeEvent): string {
  const members = 'members' in e.data ? ` members=${(e.data.members as unknown[]).length}` : '';
  const changed = 'changedAttributes' in e.data ? ` changed=${(e.data.changedAttributes as string[]).join(',') || '-'}` : '';
  const actor = e.actor ? ` by=${e.actor.tokenId}` : '';
  return `event ${e.time} ${e.type} ${e.resourceType}/${e.resourceId} v${e.version}${changed}${members}${actor} id=${e.id}`;
}

/** Prints each event on one line (local development). */
export class ConsoleSink implements EventSink {
  readonly name = 'console';

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (const e of events) this.write(formatEventLine(e));
  }
}
