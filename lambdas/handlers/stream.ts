import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { buildRegistry, parseTenantScimConfig } from '../scim/config';
import { createDynamoClients } from '../store/clients';
import { EventLog } from '../store/eventLog';
import { createStreamProcessor } from '../feed/createStreamProcessor';
import { EventBridgeSink } from '../feed/EventBridgeSink';
import { EventLogSink } from '../feed/EventLogSink';
import { AuditLogSink } from '../feed/AuditLogSink';
import { AuditLog } from '../store/auditLog';
import type { EventSink } from '../feed/EventSink';
import { feedConfigFromEnv } from '../feed/feedConfig';
import { WebhookQueueSink } from '../feed/WebhookQueueSink';
import { lazy } from './resources/deps';

/**
 * Builds the stream handler from the environment (TABLE_NAME, SCIM_CONFIG and the feed settings
 * of feedConfigFromEnv): the audit trail first, then sinks in the order event log, EventBridge,
 * webhook queue, so an event an app could pull is also the one the bus and the webhook carry.
 */
function fromEnv(env: NodeJS.ProcessEnv = process.env) {
  const config = feedConfigFromEnv(env);
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: env.DYNAMODB_ENDPOINT });
  const sinks: EventSink[] = [new EventLogSink(new EventLog({ doc, tableName, retentionDays: config.eventLogRetentionDays }))];
  if (config.eventBusName) sinks.push(new EventBridgeSink(new EventBridgeClient({}), config.eventBusName));
  if (config.webhookQueueUrl) sinks.push(new WebhookQueueSink(new SQSClient({}), config.webhookQueueUrl));
  const registry = buildRegistry(parseTenantScimConfig(env.SCIM_CONFIG ? JSON.parse(env.SCIM_CONFIG) : {}));
  const audit = new AuditLogSink(new AuditLog({ doc, tableName }));
  return createStreamProcessor({ tenant: config.tenant, payload: config.payload, registry, sinks, audit, logger: new Logger() });
}

const instance = lazy(() => fromEnv());

/** Lambda entry point: the table's stream (resource items only, see lib/ScimChangeFeed.ts). */
export const handler = (event: DynamoDBStreamEvent, context: Context) => instance()(event, context);
