import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { createStreamProcessor } from '../../feed/createStreamProcessor';
import { AuditLogSink } from '../../feed/AuditLogSink';
import { EventBridgeSink } from '../../feed/EventBridgeSink';
import { EventLogSink } from '../../feed/EventLogSink';
import type { EventSink } from '../../feed/EventSink';
import { feedConfigFromEnv } from '../../feed/feedConfig';
import { WebhookQueueSink } from '../../feed/WebhookQueueSink';
import { createWebhookTargets, TenantWebhookFilterSink } from '../../feed/webhookTargets';
import { createPoolFeed } from '../../pool/createPoolFeed';
import { PoolWebhooks } from '../../store/PoolWebhooks';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

/**
 * The pooled table's stream handler: the same processor as a tenant stack's, each record derived
 * for the tenant of its key space with that tenant's schemas (createPoolFeed); the audit trail and
 * the event log in the tenant's key space, every event on the bus with `detail.tenant`, and on the
 * webhook queue only the events of tenants that set a webhook.
 */
function fromEnv(env: NodeJS.ProcessEnv = process.env) {
  const { doc, tableName, directory } = poolOptionsFromEnv(env);
  // TENANT is the pool's metrics series here; each event's tenant comes from its record.
  const config = feedConfigFromEnv(env);
  const feed = createPoolFeed({ doc, tableName, directory, payload: config.payload, eventLogRetentionDays: config.eventLogRetentionDays });
  const sinks: EventSink[] = [new EventLogSink((tenant) => feed.logFor(tenant))];
  if (config.eventBusName) sinks.push(new EventBridgeSink(new EventBridgeClient({}), config.eventBusName));
  if (config.webhookQueueUrl) {
    const targets = createWebhookTargets({ webhooks: new PoolWebhooks({ doc, tableName }) });
    sinks.push(new TenantWebhookFilterSink(new WebhookQueueSink(new SQSClient({}), config.webhookQueueUrl), targets));
  }
  return createStreamProcessor({ tenantOf: (prefix) => feed.tenantOf(prefix), sinks, audit: new AuditLogSink((tenant) => feed.auditFor(tenant)), logger: new Logger() });
}

const instance = lazy(() => fromEnv());

/** Lambda entry point of the pooled stack's stream handler (env: TABLE_NAME, the feed settings of feedConfigFromEnv). */
export const handler = (event: DynamoDBStreamEvent, context: Context) => instance()(event, context);
