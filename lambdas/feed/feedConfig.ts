import type { EventPayload } from '../events';

/** How a tenant's change feed is set up; the stack passes it to the stream handler's environment. */
export interface FeedConfig {
  readonly tenant: string;
  /** What `data` carries. @default 'full' */
  readonly payload: EventPayload;
  /** EventBridge bus name (`default` or a tenant bus); none publishes to the event log only. */
  readonly eventBusName?: string;
  /** Days the event log keeps an event (GET /events). @default 7 */
  readonly eventLogRetentionDays: number;
  /** SQS queue of webhook deliveries; none when the tenant has no webhook. */
  readonly webhookQueueUrl?: string;
}

/**
 * Reads the feed configuration from the environment: TENANT, EVENT_PAYLOAD (`full` | `ids`),
 * EVENT_BUS_NAME, EVENT_LOG_RETENTION_DAYS, WEBHOOK_QUEUE_URL. Throws on a value that would make
 * the handler publish something other than what the operator configured.
 */
export function feedConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FeedConfig {
  const tenant = env.TENANT;
  if (!tenant) throw new Error('TENANT is not set');
  const payload = (env.EVENT_PAYLOAD ?? 'full') as EventPayload;
  if (payload !== 'full' && payload !== 'ids') throw new Error(`EVENT_PAYLOAD must be full or ids, got ${env.EVENT_PAYLOAD}`);
  const days = Number(env.EVENT_LOG_RETENTION_DAYS ?? 7);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`EVENT_LOG_RETENTION_DAYS must be 1..365, got ${env.EVENT_LOG_RETENTION_DAYS}`);
  return {
    tenant,
    payload,
    eventLogRetentionDays: days,
    ...(env.EVENT_BUS_NAME ? { eventBusName: env.EVENT_BUS_NAME } : {}),
    ...(env.WEBHOOK_QUEUE_URL ? { webhookQueueUrl: env.WEBHOOK_QUEUE_URL } : {}),
  };
}
