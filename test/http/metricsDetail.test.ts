import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRIC, METRIC_SETS, METRIC_SETS_BY_DETAIL, MINIMAL_METRICS, metricsDetailOf } from '../../lambdas/contracts/metricNames';
import { emfDocuments, runThroughChain } from '../support/middyChain';

/**
 * Runs one POST /Users answered with `status` through the real middy chain, METRICS_DETAIL set to
 * `detail`, and returns every (metric, dimension set) pair the EMF output declares, however many
 * documents carry them.
 */
async function emittedWith(detail: string | undefined, status: number): Promise<string[]> {
  const lines = await runThroughChain({
    env: { POWERTOOLS_METRICS_DISABLED: 'false', ...(detail !== undefined ? { METRICS_DETAIL: detail } : {}) },
    route: ({ scimResponse, ScimError }) => async () => {
      if (status >= 400) throw new ScimError(status, status === 409 ? 'uniqueness' : undefined, 'x');
      return scimResponse(status, { id: 'u1' });
    },
  });
  type Emf = { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
  return (emfDocuments(lines) as Emf[])
    .flatMap((emf) => emf._aws.CloudWatchMetrics)
    .flatMap((d) => d.Metrics.flatMap((m) => d.Dimensions.map((dims) => `${m.Name} [${dims.join(',')}]`)))
    .sort();
}

describe('metricsDetail (METRICS_DETAIL)', () => {
  afterEach(() => vi.resetModules());

  it('emits only [tenant] metrics of the minimal set for a 409: no Errors by scimType, no per-operation split', async () => {
    expect(await emittedWith('minimal', 409)).toEqual(['ClientErrors [tenant]']);
  });

  it('emits SuccessfulRequests on [tenant] for a successful write at the minimal level', async () => {
    expect(await emittedWith('minimal', 201)).toEqual(['SuccessfulRequests [tenant]']);
  });

  it('adds Requests and Errors by status and scimType at the standard level', async () => {
    expect(await emittedWith('standard', 409)).toEqual(['ClientErrors [tenant]', 'Errors [tenant,status,scimType]', 'Requests [tenant]']);
  });

  it('emits every metric and dimension set at the full level, which is also what an unset variable means', async () => {
    const full = await emittedWith('full', 409);
    expect(full).toEqual([
      'ClientErrors [tenant,operation]',
      'ClientErrors [tenant]',
      'Errors [tenant,status,scimType]',
      'Requests [tenant,operation]',
      'Requests [tenant]',
    ]);
    expect(await emittedWith(undefined, 409)).toEqual(full);
  });

  it('keeps in the minimal set exactly what the fleet dashboard and alarms read', () => {
    expect(METRIC_SETS_BY_DETAIL.full).toBe(METRIC_SETS);
    expect(METRIC_SETS_BY_DETAIL.minimal).toEqual([{ dimensions: ['tenant'], metrics: MINIMAL_METRICS }]);
    expect([...MINIMAL_METRICS].sort()).toEqual(
      [METRIC.authorizerDeny, METRIC.authorizerFailures, METRIC.clientErrors, METRIC.successfulRequests, METRIC.serverErrors, METRIC.throttles].sort(),
    );
    expect(metricsDetailOf('minimal')).toBe('minimal');
    expect(metricsDetailOf('verbose')).toBe('full');
  });
});

describe('limitMetrics (authorizer)', () => {
  it('drops AuthorizerAllow at the minimal level and publishes nothing for an allowed request', async () => {
    // Prepare
    const { limitMetrics } = await import('../../lambdas/auth/limitMetrics');
    const calls: string[] = [];
    const inner = {
      addMetric: (name: string) => (calls.push(`add ${name}`), inner),
      addMetadata: (key: string) => (calls.push(`meta ${key}`), inner),
      publishStoredMetrics: () => (calls.push('publish'), inner),
    };
    const limited = limitMetrics(inner as never, METRIC_SETS_BY_DETAIL.minimal);
    // Act
    limited.addMetric(METRIC.authorizerAllow, 'Count' as never, 1);
    limited.publishStoredMetrics();
    limited.addMetric(METRIC.authorizerDeny, 'Count' as never, 1);
    limited.addMetadata('reason', 'unknownToken');
    limited.publishStoredMetrics();
    // Assess
    expect(calls).toEqual(['add AuthorizerDeny', 'meta reason', 'publish']);
  });
});
