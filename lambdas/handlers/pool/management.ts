import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createManagementHandler } from '../../pool/management/createManagementHandler';
import { ApiGatewayUsageKeys } from '../../pool/management/usageKeys';
import { lazy } from '../resources/deps';
import { ScimStore } from '../../store';
import { POOL_KEYS } from '../../store/keys';
import { poolOptionsFromEnv } from './env';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsSecretSealer } from '../../feed/webhookSecrets';
import { PoolWebhooks } from '../../store/PoolWebhooks';

/**
 * The stage's public origin (`https://<domain>/<stage>`) from what API Gateway reports, never from
 * client headers: the part of requestContext.path before `/manage`.
 */
export function stageOrigin(event: APIGatewayProxyEvent): string {
  const domain = event.requestContext?.domainName ?? '';
  const path = event.requestContext?.path ?? '';
  const i = path.indexOf('/manage');
  const prefix = i >= 0 ? path.slice(0, i) : '';
  if (!/^[A-Za-z0-9.-]+$/.test(domain) || !/^(?:\/[A-Za-z0-9._~-]+)*$/.test(prefix)) throw new Error('requestContext does not name the API');
  return `https://${domain}${prefix}`;
}

const instance = lazy(() => {
  const { doc, tableName, directory } = poolOptionsFromEnv();
  const usagePlanName = process.env.USAGE_PLAN_NAME;
  const region = process.env.AWS_REGION;
  if (!usagePlanName || !region) throw new Error('USAGE_PLAN_NAME and AWS_REGION must be set');
  return createManagementHandler({
    directory,
    publicOrigin: stageOrigin,
    storeFor: (tenant) => new ScimStore({ doc, tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant) }), usageKeys: new ApiGatewayUsageKeys({ region, usagePlanName }),
    // The pool's webhook key (lib/ScimChangeFeed.ts): the management API seals, only delivery opens.
    ...(process.env.WEBHOOK_KEY_ARN ? { webhooks: { webhooks: new PoolWebhooks({ doc, tableName }), sealer: new KmsSecretSealer(new KMSClient({}), process.env.WEBHOOK_KEY_ARN) } } : {}),
  });
});

/** Lambda entry point of the pooled stack's management API (behind AWS_IAM; env: TABLE_NAME, USAGE_PLAN_NAME, WEBHOOK_KEY_ARN). */
export const handler = (event: APIGatewayProxyEvent) => instance()(event);
