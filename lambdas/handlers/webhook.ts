import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliverWebhook, retryDelaySeconds, type DeliveryTarget } from '../feed/webhookDelivery';
import type { WebhookTarget } from '../feed/webhookTargets';

/** How long the signing secret is cached in the container: a rotated secret is used within this. */
const SECRET_TTL_MS = 5 * 60_000;

/** What the delivery handler needs; injectable for tests. */
export interface WebhookHandlerDeps {
  /** The one receiver of a per-tenant stack (with `secret`). */
  readonly url?: string;
  /** The per-tenant stack's signing secret (with `url`). */
  readonly secret?: () => Promise<string>;
  /**
   * A pool's receivers: the URL and secret of the tenant an event belongs to, or undefined when
   * the tenant has no webhook any more (its queued events are then dropped, not retried).
   */
  readonly targetOf?: (tenant: string) => Promise<WebhookTarget | undefined>;
  /** Pushes a failed message's next attempt out (SQS ChangeMessageVisibility). */
  readonly delay: (record: SQSRecord, seconds: number) => Promise<void>;
  readonly fetch?: DeliveryTarget['fetch'];
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Delivers the webhook queue's messages (each one change event, put there by the tenant's bus
 * rule) with Powertools batch processing: delivered messages are deleted, failed ones reported
 * (ReportBatchItemFailures) after their visibility was pushed out by retryDelaySeconds of their
 * receive count. SQS owns the retries: after WEBHOOK_DELIVERY.maxReceiveCount receives the redrive
 * policy moves the message to the dead-letter queue, whose alarm tells ops.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps) {
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    const single = deps.url && deps.secret ? { url: deps.url, secret: await deps.secret() } : undefined;
    const handleRecord = async (record: SQSRecord): Promise<void> => {
      try {
        let target: WebhookTarget | undefined = single;
        if (!target) {
          if (!deps.targetOf) throw new Error('createWebhookHandler needs url and secret, or targetOf');
          const { tenant } = JSON.parse(record.body) as { tenant?: unknown };
          if (typeof tenant !== 'string') throw new Error('the queued message is not a change event (no tenant)');
          target = await deps.targetOf(tenant);
          // The tenant removed its webhook (or was deleted) after the event was queued: nothing to deliver.
          if (!target) return;
        }
        await deliverWebhook(record.body, { ...target, fetch: deps.fetch });
      } catch (e) {
        const receives = Number(record.attributes.ApproximateReceiveCount ?? 1);
        deps.logger?.warn('webhook delivery failed; retrying later', { messageId: record.messageId, receives, errorMessage: e instanceof Error ? e.message : String(e) });
        await deps.delay(record, retryDelaySeconds(receives)).catch(() => undefined);
        throw e;
      }
    };
    return processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
  };
}

/** ChangeMessageVisibility of a received record: its queue URL from its ARN (arn:aws:sqs:<region>:<account>:<name>). */
export function delayWith(sqs: SQSClient) {
  return async (record: SQSRecord, seconds: number): Promise<void> => {
    const [, , , region, account, name] = record.eventSourceARN.split(':');
    const queueUrl = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
  };
}

function fromEnv(env: NodeJS.ProcessEnv = process.env) {
  const url = env.WEBHOOK_URL;
  const secretArn = env.WEBHOOK_SECRET_ARN;
  if (!url || !secretArn) throw new Error('WEBHOOK_URL and WEBHOOK_SECRET_ARN must be set');
  const sm = new SecretsManagerClient({});
  const sqs = new SQSClient({});
  let cached: { value: string; at: number } | undefined;
  return createWebhookHandler({
    url,
    secret: async () => {
      if (cached && Date.now() - cached.at < SECRET_TTL_MS) return cached.value;
      const res = await sm.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!res.SecretString) throw new Error('the webhook secret is empty');
      cached = { value: res.SecretString, at: Date.now() };
      return cached.value;
    },
    delay: delayWith(sqs),
    logger: new Logger(),
  });
}

let instance: ReturnType<typeof createWebhookHandler> | undefined;

/** Lambda entry point: the tenant's webhook queue (env: WEBHOOK_URL, WEBHOOK_SECRET_ARN). */
export const handler = (event: SQSEvent, context: Context) => (instance ??= fromEnv())(event, context);
