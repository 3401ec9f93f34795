import type { ChangeEvent } from '../events/schemas';
import type { EventSink } from './EventSink';
import { deliverWebhook } from './webhookDelivery';
import { fitEntry } from './fitEntry';

/**
 * `npm start` with SCIM_WEBHOOK_URL: delivers each event to the URL, signed like the stack's
 * delivery function. A failed delivery fails the stream record, so the local poller retries the
 * batch the way Lambda's event source mapping would (no retry loop of its own).
 */
export class LocalWebhookSink implements EventSink {
  readonly name = 'webhook';

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (const e of events) await deliverWebhook(fitEntry(e), { url: this.url, secret: this.secret });
  }
}
