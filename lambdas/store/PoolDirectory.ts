import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { POOL_KEYS } from './keys';
import { isSdkError } from './sdkErrors';

/** A pooled tenant's state: `disabled` keeps its data but no credential of it is accepted. */
export type PoolTenantStatus = 'active' | 'disabled';

/** A tenant of the pooled stack. */
export interface PoolTenant {
  readonly tenant: string;
  readonly status: PoolTenantStatus;
  /** The tenant's SCIM configuration (custom extensions, page sizes), validated by the caller. */
  readonly config: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A token of a pooled tenant, by hash only: the token itself is never stored. */
export interface PoolTokenRecord {
  readonly tenant: string;
  readonly id: string;
  readonly sha256: string;
  readonly label: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/** Thrown by {@link PoolDirectory.createTenant} when the tenant exists already. */
export class TenantExistsError extends Error {
  override readonly name = 'TenantExistsError';
}

/** Thrown when a tenant or token named by the caller does not exist. */
export class TenantNotFoundError extends Error {
  override readonly name = 'TenantNotFoundError';
}

function isConditionFailure(e: unknown): boolean {
  return isSdkError(e, 'ConditionalCheckFailedException') || isSdkError(e, 'TransactionCanceledException');
}

/**
 * The pooled stack's control plane in the shared table (keys.ts POOL_KEYS): tenant records and
 * token records. The authorizer finds a token with one strongly consistent GetItem by its SHA-256
 * (tokens are 256 random bits, so a keyed lookup of their hash reveals nothing and needs no
 * constant-time scan); the management API lists and revokes by id through the tenant partition.
 */
export class PoolDirectory {
  constructor(private readonly opts: { doc: DynamoDBDocumentClient; tableName: string; now?: () => Date }) {}

  private now(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }

  /** Creates an active tenant; TenantExistsError when the name is taken (enabled or disabled). */
  async createTenant(tenant: string, config: unknown): Promise<PoolTenant> {
    const at = this.now();
    const record: PoolTenant = { tenant, status: 'active', config, createdAt: at, updatedAt: at };
    try {
      await this.opts.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { ...POOL_KEYS.tenant(tenant), kind: 'poolTenant', ...record },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new TenantExistsError(`tenant ${tenant} exists`);
      throw e;
    }
    return record;
  }

  /** The tenant's record (strongly consistent), or undefined. */
  async getTenant(tenant: string): Promise<PoolTenant | undefined> {
    const res = await this.opts.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: POOL_KEYS.tenant(tenant), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { tenant: t, status, config, createdAt, updatedAt } = res.Item as PoolTenant;
    return { tenant: t, status, config, createdAt, updatedAt };
  }

  /** Sets the tenant's status and/or configuration; TenantNotFoundError when it does not exist. */
  async updateTenant(tenant: string, change: { status?: PoolTenantStatus; config?: unknown }): Promise<PoolTenant> {
    const names: Record<string, string> = { '#u': 'updatedAt' };
    const values: Record<string, unknown> = { ':u': this.now() };
    const sets = ['#u = :u'];
    if (change.status !== undefined) {
      names['#s'] = 'status';
      values[':s'] = change.status;
      sets.push('#s = :s');
    }
    if (change.config !== undefined) {
      names['#c'] = 'config';
      values[':c'] = change.config;
      sets.push('#c = :c');
    }
    try {
      const res = await this.opts.doc.send(
        new UpdateCommand({
          TableName: this.opts.tableName,
          Key: POOL_KEYS.tenant(tenant),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      const { status, config, createdAt, updatedAt } = res.Attributes as PoolTenant;
      return { tenant, status, config, createdAt, updatedAt };
    } catch (e) {
      if (isConditionFailure(e)) throw new TenantNotFoundError(`tenant ${tenant} not found`);
      throw e;
    }
  }

  /** Stores a token record and its listing entry in one transaction, only while the tenant exists. */
  async putToken(record: PoolTokenRecord): Promise<void> {
    try {
      await this.opts.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.opts.tableName, Key: POOL_KEYS.tenant(record.tenant), ConditionExpression: 'attribute_exists(PK)' } },
            { Put: { TableName: this.opts.tableName, Item: { ...POOL_KEYS.tokenByHash(record.sha256), kind: 'poolToken', ...record } } },
            { Put: { TableName: this.opts.tableName, Item: { ...POOL_KEYS.tenantToken(record.tenant, record.id), kind: 'poolTokenEntry', ...record } } },
          ],
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new TenantNotFoundError(`tenant ${record.tenant} not found`);
      throw e;
    }
  }

  /** The token record with this SHA-256 (one strongly consistent GetItem), or undefined. */
  async tokenByHash(sha256Hex: string): Promise<PoolTokenRecord | undefined> {
    const res = await this.opts.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: POOL_KEYS.tokenByHash(sha256Hex), ConsistentRead: true }));
    return res.Item ? toTokenRecord(res.Item) : undefined;
  }

  /** Every token record of a tenant (revoked and expired included), oldest first. */
  async listTokens(tenant: string): Promise<PoolTokenRecord[]> {
    const out: PoolTokenRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.opts.doc.send(
        new QueryCommand({
          TableName: this.opts.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
          ExpressionAttributeValues: { ':pk': POOL_KEYS.tenantPartition(tenant), ':t': 'TOKEN#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map(toTokenRecord));
      start = res.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Revokes one token (idempotent: a second revoke keeps the first time); TenantNotFoundError for an unknown id. */
  async revokeToken(tenant: string, tokenId: string): Promise<PoolTokenRecord> {
    const entry = (await this.listTokens(tenant)).find((t) => t.id === tokenId);
    if (!entry) throw new TenantNotFoundError(`token ${tokenId} not found`);
    if (entry.revokedAt) return entry;
    const revokedAt = this.now();
    const set = {
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :r)',
      ExpressionAttributeValues: { ':r': revokedAt },
    };
    await this.opts.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: this.opts.tableName, Key: POOL_KEYS.tokenByHash(entry.sha256), ...set } },
          { Update: { TableName: this.opts.tableName, Key: POOL_KEYS.tenantToken(tenant, tokenId), ...set } },
        ],
      }),
    );
    return { ...entry, revokedAt };
  }
}

function toTokenRecord(item: Record<string, unknown>): PoolTokenRecord {
  const r = item as unknown as PoolTokenRecord;
  return {
    tenant: r.tenant,
    id: r.id,
    sha256: r.sha256,
    label: r.label,
    scopes: r.scopes,
    createdAt: r.createdAt,
    ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}),
    ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
  };
}
