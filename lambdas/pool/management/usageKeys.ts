import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { poolUsageKey } from '../../contracts/poolLimits';
import type { SigningCredentials } from './sigv4';

/**
 * The per-tenant API keys of the pooled stack's usage plan. The pooled authorizer returns
 * `poolUsageKey(tenant)` as the usage identifier (API key source AUTHORIZER), so API Gateway
 * throttles each tenant on its own key; the key must exist in the plan before the tenant's first
 * request, so enabling a tenant makes it and deleting a tenant removes it.
 */
export interface UsageKeys {
  /** Creates the tenant's key and adds it to the usage plan; a key that exists already is fine. */
  ensure(tenant: string): Promise<void>;
  /** Deletes the tenant's key; a key that is gone already is fine. */
  remove(tenant: string): Promise<void>;
}

/** Usage keys where none are needed: the local server throttles per tenant itself (TenantRateLimiter). */
export const NO_USAGE_KEYS: UsageKeys = { ensure: async () => {}, remove: async () => {} };

/** Options of {@link ApiGatewayUsageKeys}. */
export interface ApiGatewayUsageKeysOptions {
  readonly region: string;
  /** The name of the usage plan every tenant key joins (the stack's USAGE_PLAN_NAME); its id is looked up once. */
  readonly usagePlanName: string;
  /** @default the Lambda execution role's credentials from the environment */
  readonly credentials?: () => SigningCredentials;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The API key's name: the tenant's, so an operator finds it in the console. */
export function usageKeyName(tenant: string): string {
  return `scim-tenant-${tenant}`;
}

function envCredentials(): SigningCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error('usage keys: no AWS credentials in the environment');
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** A failed API Gateway control-plane call. */
export class UsageKeyError extends Error {
  override readonly name: string = 'UsageKeyError';
}

/**
 * The account and Region hold API Gateway's most API keys (10,000, shared by every stack there,
 * and not adjustable): no further tenant of the pool can get a throttle of its own here.
 */
export class UsageKeyQuotaError extends UsageKeyError {
  override readonly name = 'UsageKeyQuotaError';
}

/** CreateApiKey's own rate (5 calls a second per account, not adjustable) was exceeded: retry in a second. */
export class UsageKeyThrottledError extends UsageKeyError {
  override readonly name = 'UsageKeyThrottledError';
}

/**
 * {@link UsageKeys} on API Gateway's control plane (REST: `GET /usageplans` once, `POST
 * /apikeys`, `POST /usageplans/{id}/keys`, `DELETE /apikeys/{id}`), signed with SigV4 by the same signer the SDK uses,
 * so no API Gateway client is bundled. CreateApiKey is limited to 5 calls a second per account
 * (not adjustable): enabling tenants is paced by that, not by the table.
 */
export class ApiGatewayUsageKeys implements UsageKeys {
  private readonly endpoint: string;
  private planId?: Promise<string>;

  constructor(private readonly options: ApiGatewayUsageKeysOptions) {
    this.endpoint = `https://apigateway.${options.region}.amazonaws.com`;
  }

  private async call(method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; errorType: string }> {
    const url = new URL(`${this.endpoint}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signer = new SignatureV4({ credentials: (this.options.credentials ?? envCredentials)(), region: this.options.region, service: 'apigateway', sha256: Sha256 });
    const signed = await signer.sign({
      method,
      protocol: 'https:',
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers: { host: url.hostname, accept: 'application/json', ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text,
    });
    const headers = { ...(signed.headers as Record<string, string>) };
    delete headers.host;
    const res = await (this.options.fetch ?? fetch)(url, { method, headers, body: text });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    // API Gateway names the error in x-amzn-ErrorType (`LimitExceededException:...`); some answers carry `__type`.
    const errorType = `${res.headers.get('x-amzn-errortype') ?? ''} ${typeof json.__type === 'string' ? json.__type : ''}`;
    return { status: res.status, json, errorType };
  }

  private async keyId(tenant: string): Promise<string | undefined> {
    const res = await this.call('GET', '/apikeys', { name: usageKeyName(tenant), includeValues: 'false' });
    if (res.status !== 200) throw new UsageKeyError(`GetApiKeys answered ${res.status}`);
    const items = ((res.json.item ?? []) as { id?: string; name?: string }[]).filter((k) => k.name === usageKeyName(tenant));
    return items[0]?.id;
  }

  private usagePlanId(): Promise<string> {
    this.planId ??= (async () => {
      const res = await this.call('GET', '/usageplans', { limit: '500' });
      const plan = ((res.json.item ?? []) as { id?: string; name?: string }[]).find((p) => p.name === this.options.usagePlanName);
      if (res.status !== 200 || !plan?.id) throw new UsageKeyError(`no usage plan named ${this.options.usagePlanName} (GetUsagePlans answered ${res.status})`);
      return plan.id;
    })().catch((e: unknown) => {
      this.planId = undefined;
      throw e;
    });
    return this.planId;
  }

  /** {@inheritDoc UsageKeys.ensure} */
  async ensure(tenant: string): Promise<void> {
    const created = await this.call('POST', '/apikeys', {}, { name: usageKeyName(tenant), value: poolUsageKey(tenant), enabled: true });
    let id: string | undefined;
    if (created.status === 201) id = String(created.json.id);
    // 409: a key of that value exists (an earlier, interrupted enable): find it and reuse it.
    else if (created.status === 409) id = await this.keyId(tenant);
    // Both answer 429: LimitExceededException is the 10,000-keys quota, TooManyRequestsException the call rate.
    else if (created.errorType.includes('LimitExceeded')) throw new UsageKeyQuotaError('this account and Region hold 10,000 API keys, API Gateway\'s quota (not adjustable)');
    else if (created.status === 429) throw new UsageKeyThrottledError('CreateApiKey is limited to 5 calls a second per account');
    if (!id) throw new UsageKeyError(`CreateApiKey answered ${created.status}`);
    const joined = await this.call('POST', `/usageplans/${encodeURIComponent(await this.usagePlanId())}/keys`, {}, { keyId: id, keyType: 'API_KEY' });
    if (joined.status !== 201 && joined.status !== 409) throw new UsageKeyError(`CreateUsagePlanKey answered ${joined.status}`);
  }

  /** {@inheritDoc UsageKeys.remove} */
  async remove(tenant: string): Promise<void> {
    const id = await this.keyId(tenant);
    if (!id) return;
    const res = await this.call('DELETE', `/apikeys/${encodeURIComponent(id)}`);
    if (res.status !== 202 && res.status !== 200 && res.status !== 404) throw new UsageKeyError(`DeleteApiKey answered ${res.status}`);
  }
}
