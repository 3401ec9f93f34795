import type { ChangeEvent } from '../events';

/**
 * Where derived events go (EventBridge, the event log, the webhook queue, the local console). A
 * sink throws when any event could not be delivered, so the stream record fails and Lambda retries
 * it: delivery is at least once and consumers de-duplicate on the event id.
 */
export interface EventSink {
  /** A short name for logs and metrics. */
  readonly name: string;
  /** Delivers the events of one stream record, in order. */
  publish(events: readonly ChangeEvent[]): Promise<void>;
}

/** Raised when a sink could not deliver some events; names the sink and how many. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly sink: string,
    readonly failed: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${sink}: ${failed} event(s) not delivered: ${detail}`, options);
  }
}
