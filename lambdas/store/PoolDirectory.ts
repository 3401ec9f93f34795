import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { POOL_KEYS } from './keys';
import { batchWrite } from './batch';
import { isSdkError } from './sdkErrors';
import { TABLE_DEFINITION } from '../contracts/tableDefinition';

/**
 * A pooled tenant's state: `disabled` keeps its data but no credential of it is accepted;
 * `deleting` is disabled for good while its data is being deleted (the record goes last, so the
 * name cannot be enabled again over half-deleted data).
 */
export type PoolTenantStatus = 'active' | 'disabled' | 'deleting';

/** A tenant of the pooled stack. */
export interface PoolTenant {
  readonly tenant: string;
  readonly status: PoolTenantStatus;
  /** The tenant's SCIM configuration (custom extensions, page sizes), validated by the caller. */
  readonly config: unknown;
  /**
   * The tenant's OAuth settings (`oauth` of a tenant config file: enabled, token lifetime,
   * federated clients), validated by the caller with OAuthConfigSchema; absent: OAuth off.
   */
  readonly oauth?: unknown;
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

/** One page of {@link PoolDirectory.listTenants}. */
export interface TenantPage {
  readonly tenants: readonly PoolTenant[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

const TENANT_INDEX = TABLE_DEFINITION.globalSecondaryIndexes.find((i) => i.indexName === 'GSI2')!;

function listingKeys(tenant: string): Record<string, string> {
  return { [TENANT_INDEX.partitionKey]: POOL_KEYS.tenantListing, [TENANT_INDEX.sortKey]: tenant };
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
  async createTenant(tenant: string, config: unknown, oauth?: unknown): Promise<PoolTenant> {
    const at = this.now();
    const record: PoolTenant = { tenant, status: 'active', config, ...(oauth !== undefined ? { oauth } : {}), createdAt: at, updatedAt: at };
    try {
      await this.opts.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { ...POOL_KEYS.tenant(tenant), ...listingKeys(tenant), kind: 'poolTenant', ...record },
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
    return res.Item ? toTenant(res.Item) : undefined;
  }

  /** Sets the tenant's status, SCIM configuration and/or OAuth settings; TenantNotFoundError when it does not exist. */
  async updateTenant(tenant: string, change: { status?: PoolTenantStatus; config?: unknown; oauth?: unknown }): Promise<PoolTenant> {
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
    if (change.oauth !== undefined) {
      names['#o'] = 'oauth';
      values[':o'] = change.oauth;
      sets.push('#o = :o');
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
      return toTenant(res.Attributes!);
    } catch (e) {
      if (isConditionFailure(e)) throw new TenantNotFoundError(`tenant ${tenant} not found`);
      throw e;
    }
  }

  /**
   * One page of every tenant (any status), in name order, from the sparse GSI2 listing: eventually
   * consistent (a tenant enabled a second ago may be missing), which the maintenance job tolerates
   * (it runs again in minutes). `cursor` is the last tenant of the previous page.
   */
  async listTenants(opts: { limit?: number; cursor?: string } = {}): Promise<TenantPage> {
    const res = await this.opts.doc.send(
      new QueryCommand({
        TableName: this.opts.tableName,
        IndexName: TENANT_INDEX.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TENANT_INDEX.partitionKey },
        ExpressionAttributeValues: { ':pk': POOL_KEYS.tenantListing },
        Limit: Math.min(Math.max(opts.limit ?? 500, 1), 1000),
        ...(opts.cursor ? { ExclusiveStartKey: { ...POOL_KEYS.tenant(opts.cursor), ...listingKeys(opts.cursor) } } : {}),
      }),
    );
    const tenants = (res.Items ?? []).map(toTenant);
    const last = res.LastEvaluatedKey?.[TENANT_INDEX.sortKey];
    return { tenants, ...(typeof last === 'string' ? { cursor: last } : {}) };
  }

  /**
   * Removes a tenant's record, its token records and their listing entries: the last step of
   * deleting a tenant (its data first), after which the name may be enabled again. Idempotent.
   */
  async removeTenant(tenant: string): Promise<void> {
    const tokens = await this.listTokens(tenant);
    const keys = [...tokens.flatMap((t) => [POOL_KEYS.tokenByHash(t.sha256), POOL_KEYS.tenantToken(tenant, t.id)]), POOL_KEYS.tenantClients(tenant)];
    // The tenant record last: while it exists (status deleting) the name stays taken.
    await batchWrite(this.opts.doc, this.opts.tableName, keys.map((key) => ({ delete: key })));
    await batchWrite(this.opts.doc, this.opts.tableName, [{ delete: POOL_KEYS.tenant(tenant) }]);
  }

  /** Where the pool maintenance job stopped last (a tenant name), if it stopped early. */
  async maintenanceCursor(): Promise<string | undefined> {
    const res = await this.opts.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: POOL_KEYS.maintenance }));
    return typeof res.Item?.resumeAfter === 'string' ? res.Item.resumeAfter : undefined;
  }

  /** Records where the pool maintenance job stopped (undefined: it reached the end of the listing). */
  async setMaintenanceCursor(resumeAfter: string | undefined): Promise<void> {
    await this.opts.doc.send(new PutCommand({ TableName: this.opts.tableName, Item: { ...POOL_KEYS.maintenance, ...(resumeAfter ? { resumeAfter } : {}), at: this.now() } }));
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

  /**
   * The tenant's OAuth clients document (the silo's token-secret JSON with `clients`, secret
   * hashes only) and its version, read strongly consistent: the pooled counterpart of a silo
   * tenant's Secrets Manager secret, so the same client code (auth/oauth/clientStore.ts) manages
   * both. `text` undefined: no client yet.
   */
  async readClients(tenant: string): Promise<{ text: string | undefined; versionId: string | undefined }> {
    const res = await this.opts.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: POOL_KEYS.tenantClients(tenant), ConsistentRead: true }));
    const item = res.Item as { text?: unknown; version?: unknown } | undefined;
    return { text: typeof item?.text === 'string' ? item.text : undefined, versionId: typeof item?.version === 'string' ? item.version : undefined };
  }

  /**
   * Replaces the tenant's OAuth clients document if its version is still `expectedVersion`
   * (undefined: none yet) and the tenant exists: ClientsChangedError when another write came
   * first, TenantNotFoundError when the tenant is gone.
   */
  async writeClients(tenant: string, text: string, expectedVersion: string | undefined): Promise<void> {
    const key = POOL_KEYS.tenantClients(tenant);
    try {
      await this.opts.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: this.opts.tableName, Key: POOL_KEYS.tenant(tenant), ConditionExpression: 'attribute_exists(PK)' } },
            {
              Put: {
                TableName: this.opts.tableName,
                Item: { ...key, kind: 'poolClients', tenant, text, version: randomUUID(), updatedAt: this.now() },
                ...(expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
              },
            },
          ],
        }),
      );
    } catch (e) {
      if (isSdkError(e, 'TransactionCanceledException')) {
        const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new TenantNotFoundError(`tenant ${tenant} not found`);
        if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new ClientsChangedError('the OAuth clients changed meanwhile; retry');
      }
      throw e;
    }
  }
}

/** Thrown by {@link PoolDirectory.writeClients} when another write changed the clients since they were read. */
export class ClientsChangedError extends Error {
  override readonly name = 'ClientsChangedError';
}

function toTenant(item: Record<string, unknown>): PoolTenant {
  const { tenant, status, config, oauth, createdAt, updatedAt } = item as unknown as PoolTenant;
  return { tenant, status, config, ...(oauth !== undefined ? { oauth } : {}), createdAt, updatedAt };
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
