import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { OAuthConfigInput } from '../../lambdas/auth/oauth/oauthConfig';
import { startLocalPool, type LocalPool, type LocalPoolOptions } from '../../lambdas/local/startLocalPool';
import { createDynamoClients } from '../../lambdas/store/clients';
import { ScimStore } from '../../lambdas/store';
import { POOL_KEYS } from '../../lambdas/store/keys';
import type { LocalLimitsInput } from '../../lambdas/local/localLimits';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../lambdas/local/startLocalStack';

/** A response as tests read it: status, lower-cased headers, parsed JSON body (or undefined). */
export interface ScimReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary SCIM JSON
  readonly body: any;
}

/** A local tenant for end-to-end tests plus a small SCIM client bound to its URL and token. */
export interface TestServer extends LocalStack {
  /** Sends one request; `body` objects are JSON-encoded as application/scim+json. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimReply>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  readonly scimConfig?: unknown;
  readonly maxScanItems?: number;
  readonly limits?: LocalLimitsInput;
  readonly oauth?: OAuthConfigInput;
  readonly now?: () => number;
  /** Run the change feed (stream poller): only where a test asks, it costs CPU on a shared machine. */
  readonly changeFeed?: boolean;
  readonly onEvents?: LocalStackOptions['onEvents'];
}

/**
 * The variable that runs the end-to-end files in pooled mode (vitest.config.ts's `pool` project):
 * `pool` makes {@link startTestServer} enable a tenant on a local pool instead of starting a silo
 * tenant, so the same files, unchanged, prove both modes. OAuth and clock tests stay silo-only (the
 * pooled OAuth flows have their own suite, test/e2e/poolOAuth.test.ts).
 */
export const E2E_MODE_ENV = 'SCIM_E2E_MODE';

/**
 * A fresh local pool for a test: on the run's DynamoDB Local with its own table (`<name>-…`) and
 * data dir, on a free port, caching no tenant configuration or token so a test sees its own
 * management calls at once. `options` adds to or overrides that.
 */
export function startTestPool(name: string, options: Partial<LocalPoolOptions> = {}): Promise<LocalPool> {
  return startLocalPool({
    dataDir: mkdtempSync(join(tmpdir(), `scim-${name}-`)),
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `${name}-${randomUUID().slice(0, 8)}`,
    configTtlMs: 0,
    authorizerCacheTtlMs: 0,
    ...options,
  });
}

/**
 * One tenant of a fresh local pool, shaped like a silo LocalStack: its base URL is
 * `/t/<tenant>/scim/v2`, its token the one enabling it answered, and `store` the store of its key
 * prefix in the shared table.
 */
async function startPooledTenant(options: TestServerOptions): Promise<LocalStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-e2e-pool-'));
  const dynamoEndpoint = inject('dynamoEndpoint');
  const pool = await startTestPool('e2ep', {
    dataDir,
    maxScanItems: options.maxScanItems,
    limits: options.limits,
    // The per-tenant rate is the pool suite's subject (test/e2e/pool.test.ts); here the IdP flows
    // run as fast as the silo ones, as one tenant alone on a pool would.
    tenantLimits: { ratePerSecond: 1_000_000, burst: 1_000_000 },
    // No stream poller: no pooled file running through here asserts events (poolChangeFeed.test.ts does, on its own pool).
    changeFeed: false,
  });
  const enabled = await pool.management.enableTenant(`e2e-${randomUUID().slice(0, 8)}`, { config: options.scimConfig ?? {} });
  const { doc, client } = createDynamoClients({ endpoint: dynamoEndpoint });
  return {
    baseUrl: enabled.scimBaseUrl,
    tokenUrl: `${pool.origin}/t/${enabled.tenant}/oauth2/token`,
    dataDir,
    token: enabled.token,
    tableName: pool.tableName,
    dynamoEndpoint,
    store: new ScimStore({ doc, tableName: pool.tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(enabled.tenant), maxScanItems: options.maxScanItems }),
    doc,
    async close() {
      client.destroy();
      await pool.close();
    },
  };
}

/**
 * Starts the real handlers and authorizer over HTTP on a free port, on the run's DynamoDB Local
 * with a fresh table and data dir, so each test file sees only its own data. AWS's limits are on
 * (lambdas/local/localLimits.ts): a response over Lambda's 6 MB is a 502 here as it would be
 * deployed; `limits` shrinks them for tests of the limits themselves.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // The change feed's own files stay silo: the pooled feed has its own (poolChangeFeed.test.ts).
  const pooled = process.env[E2E_MODE_ENV] === 'pool' && !options.oauth && !options.now && !options.changeFeed;
  const stack = pooled ? await startPooledTenant(options) : await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), 'scim-e2e-')),
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `e2e-${randomUUID().slice(0, 8)}`,
    scimConfig: options.scimConfig,
    maxScanItems: options.maxScanItems,
    limits: options.limits,
    oauth: options.oauth,
    now: options.now,
    // The change feed (stream poller) only where a test asks for it: it costs CPU on a shared machine.
    changeFeed: options.changeFeed ?? false,
    onEvents: options.onEvents,
  });
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimReply> => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${stack.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    return { status: res.status, headers: out, body: text ? JSON.parse(text) : undefined };
  };
  return Object.assign(stack, { request });
}
