import { DeleteCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { POOL_KEYS } from './keys';
import { isSdkError } from './sdkErrors';

/** Sort key of a tenant's webhook record, next to its tenant record and tokens (`_pool#TENANT#<t>`). */
export const POOL_WEBHOOK_SK = 'WEBHOOK';

/**
 * A pooled tenant's webhook: where its events are POSTed and the Standard Webhooks signing secret,
 * sealed (KMS-encrypted under the pool's key, bound to the tenant by the encryption context). An
 * item in the table instead of a Secrets Manager secret per tenant: $0.40 a month each would be
 * $4,000 a month at 10,000 tenants; the table item and the pool's one key cost nearly nothing per tenant.
 */
export interface PoolWebhook {
  readonly tenant: string;
  /** HTTPS endpoint of the vendor's app for this tenant. */
  readonly url: string;
  /** The signing secret, sealed (SecretSealer.seal); never the secret itself. */
  readonly sealedSecret: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Thrown by {@link PoolWebhooks.put} when the tenant does not exist (any more). */
export class WebhookTenantNotFoundError extends Error {
  override readonly name = 'WebhookTenantNotFoundError';
}

/**
 * Per-tenant webhook records of a pooled table, one strongly consistent GetItem each. The record
 * lives in the tenant's control partition, so deleting the tenant's control records removes it.
 */
export class PoolWebhooks {
  constructor(private readonly opts: { doc: DynamoDBDocumentClient; tableName: string }) {}

  private key(tenant: string) {
    return { PK: POOL_KEYS.tenantPartition(tenant), SK: POOL_WEBHOOK_SK };
  }

  /** The tenant's webhook, or undefined when it has none. */
  async get(tenant: string): Promise<PoolWebhook | undefined> {
    const res = await this.opts.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: this.key(tenant), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { url, sealedSecret, createdAt, updatedAt } = res.Item as PoolWebhook;
    return { tenant, url, sealedSecret, createdAt, updatedAt };
  }

  /**
   * Sets (or replaces) the tenant's webhook, keeping the first createdAt, only while the tenant's
   * record exists: a webhook set while the tenant is being removed cannot outlive it.
   */
  async put(webhook: Omit<PoolWebhook, 'createdAt' | 'updatedAt'>, at: string): Promise<PoolWebhook> {
    const previous = await this.get(webhook.tenant);
    const record: PoolWebhook = { ...webhook, createdAt: previous?.createdAt ?? at, updatedAt: at };
    try {
      await this.opts.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.opts.tableName, Key: POOL_KEYS.tenant(webhook.tenant), ConditionExpression: 'attribute_exists(PK)' } },
            { Put: { TableName: this.opts.tableName, Item: { ...this.key(webhook.tenant), kind: 'poolWebhook', ...record } } },
          ],
        }),
      );
    } catch (e) {
      if (isSdkError(e, 'TransactionCanceledException')) throw new WebhookTenantNotFoundError(`tenant ${webhook.tenant} not found`);
      throw e;
    }
    return record;
  }

  /** Removes the tenant's webhook; false when it had none. */
  async remove(tenant: string): Promise<boolean> {
    try {
      await this.opts.doc.send(new DeleteCommand({ TableName: this.opts.tableName, Key: this.key(tenant), ConditionExpression: 'attribute_exists(PK)' }));
      return true;
    } catch (e) {
      if (isSdkError(e, 'ConditionalCheckFailedException')) return false;
      throw e;
    }
  }
}
