import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createPoolAuthorizer } from '../../lambdas/auth/createPoolAuthorizer';
import { startLocalPool } from '../../lambdas/local/startLocalPool';
import type { BenchScenario } from '../scenario';

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Pooled tenancy: enable many tenants on one local pool (10,000 in a full run), provision a
 * sample of them over HTTP, and time the pooled authorizer's warm tenant lookup in-process.
 */
export const poolScenario: BenchScenario = {
  name: 'pool',
  async run({ quick, bench, workDir }) {
    const tenants = quick ? 200 : 10_000;
    const sample = quick ? 20 : 100;
    const pool = await startLocalPool({
      dataDir: join(workDir, 'pool'),
      port: 0,
      dynamoEndpoint: bench.endpoint,
      tableName: `bench-pool-${randomUUID().slice(0, 8)}`,
      tenantLimits: { ratePerSecond: 1_000_000, burst: 1_000_000 },
    });
    try {
      const enabled: { tenant: string; url: string; token: string }[] = [];
      const enableMs: number[] = [];
      const run = Date.now().toString(36);
      let next = 0;
      // Eight at a time: a vendor's backend enabling tenants as admins click.
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < tenants) {
            const tenant = `t${run}-${next++}`;
            const t0 = performance.now();
            const r = await pool.management.enableTenant(tenant);
            enableMs.push(performance.now() - t0);
            enabled.push({ tenant, url: r.scimBaseUrl, token: r.token });
          }
        }),
      );
      enableMs.sort((a, b) => a - b);

      // Provision a sample spread over the pool: a lookup then a create, as Entra does.
      const provisionMs: number[] = [];
      for (let i = 0; i < sample; i++) {
        const t = enabled[Math.floor((i * enabled.length) / sample)];
        const headers = { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/scim+json' };
        const t0 = performance.now();
        await fetch(`${t.url}/Users?filter=${encodeURIComponent('userName eq "u@x.example"')}`, { headers }).then((r) => r.text());
        const created = await fetch(`${t.url}/Users`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'u@x.example' }) });
        await created.text();
        if (created.status !== 201) throw new Error(`pool provisioning answered ${created.status}`);
        provisionMs.push(performance.now() - t0);
      }
      provisionMs.sort((a, b) => a - b);

      // Warm tenant lookup: the authorizer with its token and tenant cached, in-process.
      const authorize = createPoolAuthorizer({ source: pool.directory });
      const probe = enabled[0];
      const event = {
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:eu-west-1:123456789012:api/prod/GET/t/${probe.tenant}/scim/v2/Users`,
        path: `/t/${probe.tenant}/scim/v2/Users`,
        headers: { Authorization: `Bearer ${probe.token}` },
      } as unknown as APIGatewayRequestAuthorizerEvent;
      await authorize(event);
      const warm: number[] = [];
      for (let i = 0; i < 2_000; i++) {
        const t0 = performance.now();
        await authorize(event);
        warm.push(performance.now() - t0);
      }
      warm.sort((a, b) => a - b);
      const warmMedian = quantile(warm, 0.5);
      const enableP50 = quantile(enableMs, 0.5);
      return {
        figures: {
          tenantsEnabled: enabled.length,
          enableTenantMs: { median: round(enableP50, 1), p95: round(quantile(enableMs, 0.95), 1), max: round(enableMs.at(-1) ?? 0, 1) },
          provisionSample: { tenants: sample, lookupPlusCreateMs: { median: round(quantile(provisionMs, 0.5), 1), p95: round(quantile(provisionMs, 0.95), 1) } },
          warmTenantLookupMs: { median: round(warmMedian), p99: round(quantile(warm, 0.99)) },
        },
        targets: {
          poolTenants: { target: '10,000 tenants on one stack (full run)', measured: `${enabled.length} enabled`, pass: quick || enabled.length >= 10_000 },
          poolEnable: { target: 'enabling a tenant < 1 s', measured: `median ${round(enableP50, 1)} ms`, pass: enableP50 < 1_000 },
          poolLookup: { target: 'warm tenant lookup < 0.2 ms', measured: `median ${round(warmMedian)} ms`, pass: warmMedian < 0.2 },
        },
      };
    } finally {
      await pool.close();
    }
  },
};
