import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ChangeEvent } from '../events';
import { PublishError, type EventSink } from './EventSink';
import { fitEntry } from './fitEntry';

/** SendMessageBatch takes at most 10 messages a call. */
const MAX_MESSAGES = 10;

/**
 * Queues events for webhook delivery (lambdas/handlers/webhook.ts consumes the queue). SQS carries
 * the retries: a failed delivery becomes visible again after a growing visibility timeout and goes
 * to the dead-letter queue after the redrive policy's receive count.
 */
export class WebhookQueueSink implements EventSink {
  readonly name = 'webhook-queue';

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_MESSAGES) {
      const chunk = events.slice(i, i + MAX_MESSAGES);
      const res = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((e, j) => ({ Id: String(j), MessageBody: fitEntry(e) })),
        }),
      );
      if (res.Failed && res.Failed.length > 0) {
        throw new PublishError(this.name, res.Failed.length, [...new Set(res.Failed.map((f) => f.Code))].join(', '));
      }
    }
  }
}
