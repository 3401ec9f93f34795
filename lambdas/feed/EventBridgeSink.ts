import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ChangeEvent } from '../events';
import { PublishError, type EventSink } from './EventSink';
import { fitEntry } from './fitEntry';

/** The `source` of every event on the bus; rules match it plus `detail.tenant`. */
export const EVENT_SOURCE = 'serverless-scim';

/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES = 10;

/**
 * Publishes to an EventBridge bus: `source` EVENT_SOURCE, `detail-type` the event type, `detail`
 * the event. PutEvents can fail per entry (FailedEntryCount); any failed entry fails the record,
 * which Lambda retries (the ones that went through go again under the same id).
 */
export class EventBridgeSink implements EventSink {
  readonly name = 'eventbridge';

  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const chunk = events.slice(i, i + MAX_ENTRIES);
      const res = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((e) => ({ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: e.type, Detail: fitEntry(e), Time: new Date(e.time) })),
        }),
      );
      if (res.FailedEntryCount) {
        const codes = [...new Set((res.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean))].join(', ');
        throw new PublishError(this.name, res.FailedEntryCount, codes || 'PutEvents failed entries');
      }
    }
  }
}
