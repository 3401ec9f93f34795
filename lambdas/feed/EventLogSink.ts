import type { ChangeEvent } from '../events';
import type { EventLog } from '../store/eventLog';
import type { EventSink } from './EventSink';

/**
 * Appends events to their tenant's event log (GET /events): the one log of a per-tenant table, or
 * in a pooled table the log in each event's tenant key space, so a tenant's reader never sees
 * another's events. A tenant's events keep their order.
 */
export class EventLogSink implements EventSink {
  readonly name = 'event-log';
  private readonly logFor: (tenant: string) => EventLog;

  constructor(log: EventLog | ((tenant: string) => EventLog)) {
    this.logFor = typeof log === 'function' ? log : () => log;
  }

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    const byTenant = new Map<string, ChangeEvent[]>();
    for (const e of events) byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), e]);
    for (const [tenant, list] of byTenant) await this.logFor(tenant).append(list.map((e) => ({ id: e.id, body: JSON.stringify(e) })));
  }
}
