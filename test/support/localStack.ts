import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { OAuthConfigInput } from '../../lambdas/auth/oauth/oauthConfig';
import { startLocalStack, type LocalStack } from '../../lambdas/local/startLocalStack';
import type { LocalLimitsInput } from '../../lambdas/local/localLimits';

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

/**
 * Starts the real handlers and authorizer over HTTP on a free port, on the run's DynamoDB Local
 * with a fresh table and data dir, so each test file sees only its own data. AWS's limits are on
 * (lambdas/local/localLimits.ts): a response over Lambda's 6 MB is a 502 here as it would be
 * deployed; `limits` shrinks them for tests of the limits themselves.
 */
export async function startTestServer(
  options: { scimConfig?: unknown; maxScanItems?: number; limits?: LocalLimitsInput; oauth?: OAuthConfigInput; now?: () => number } = {},
): Promise<TestServer> {
  const stack = await startLocalStack({
    dataDir: mkdtempSync(join(tmpdir(), 'scim-e2e-')),
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `e2e-${randomUUID().slice(0, 8)}`,
    scimConfig: options.scimConfig,
    maxScanItems: options.maxScanItems,
    limits: options.limits,
    oauth: options.oauth,
    now: options.now,
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
