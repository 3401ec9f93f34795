import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS_TENANT_ENV } from '../../lambdas/contracts/metricNames';
import { emfDocuments, runThroughChain } from '../support/middyChain';

/** Runs one GET /Users of `tenant` through the real middy chain; returns the EMF lines' tenant dimension and the log line's tenant. */
async function oneRequest(tenant: string, metricsTenant: string | undefined): Promise<{ dimension: unknown; logged: unknown }> {
  const lines = await runThroughChain({
    env: { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_LOG_LEVEL: 'INFO', ...(metricsTenant !== undefined ? { [METRICS_TENANT_ENV]: metricsTenant } : {}) },
    route: ({ scimResponse }) => async () => scimResponse(200, { Resources: [] }),
    method: 'GET',
    path: `/t/${tenant}/scim/v2/Users`,
    requestPath: `/prod/t/${tenant}/scim/v2/Users`,
    authorizer: { scopes: 'scim:read', tenant, tokenId: 'tok_1' },
  });
  const parsed = emfDocuments(lines)[0] as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } };
  expect(parsed._aws.CloudWatchMetrics.every((d) => d.Dimensions.every((dims) => dims.includes('tenant')))).toBe(true);
  // EMF reads a dimension's value from the root member of its name; the log's tenant rides in the same line.
  return { dimension: parsed.tenant, logged: parsed.requestTenant ?? parsed.tenant };
}

describe('METRICS_TENANT (the pooled stack publishes one series for all its tenants)', () => {
  afterEach(() => vi.resetModules());

  it('uses each request\u2019s tenant as the dimension when unset (a silo tenant)', async () => {
    expect((await oneRequest('acme', undefined)).dimension).toBe('acme');
  });

  it('uses the pool\u2019s value for every tenant when set, so 10,000 tenants are one series, not 10,000', async () => {
    const a = await oneRequest('acme', 'pool.main');
    const b = await oneRequest('globex', 'pool.main');
    expect([a.dimension, b.dimension]).toEqual(['pool.main', 'pool.main']);
    // The line still says whose request it was.
    expect([a.logged, b.logged]).toEqual(['acme', 'globex']);
  });
});
