import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { createWebhookTargets } from '../../feed/webhookTargets';
import { KmsSecretSealer } from '../../feed/webhookSecrets';
import { createDynamoClients } from '../../store/clients';
import { PoolWebhooks } from '../../store/PoolWebhooks';
import { createWebhookHandler, delayWith } from '../webhook';
import { lazy } from '../resources/deps';

const instance = lazy(() => {
  const tableName = process.env.TABLE_NAME;
  const keyArn = process.env.WEBHOOK_KEY_ARN;
  if (!tableName || !keyArn) throw new Error('TABLE_NAME and WEBHOOK_KEY_ARN must be set');
  const { doc } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const targets = createWebhookTargets({ webhooks: new PoolWebhooks({ doc, tableName }), sealer: new KmsSecretSealer(new KMSClient({}), keyArn) });
  return createWebhookHandler({ targetOf: (tenant) => targets.targetOf(tenant), delay: delayWith(new SQSClient({})), logger: new Logger() });
});

/**
 * Lambda entry point of the pool's webhook delivery (env: TABLE_NAME, WEBHOOK_KEY_ARN): each queued
 * event goes to its tenant's URL, signed with its tenant's secret (sealed in the table, opened with
 * the pool's KMS key).
 */
export const handler = (event: SQSEvent, context: Context) => instance()(event, context);
