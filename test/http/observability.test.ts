import { describe, it, expect, vi, afterEach } from 'vitest';
import { emfDocuments, runThroughChain } from '../support/middyChain';

/** Runs one request through the real middy chain with EMF output captured from stdout. */
async function emfFor(
  status: number,
  body: unknown,
  route?: (countEvent: (name: 'UsersCreated' | 'MembersAdded', value?: number) => void) => void,
  concurrent = 1,
): Promise<Record<string, unknown>[]> {
  const lines = await runThroughChain({
    env: { POWERTOOLS_METRICS_DISABLED: 'false' },
    route: ({ scimResponse, ScimError, countEvent }) => async () => {
      // A tick between counting and answering, so concurrent requests interleave.
      await new Promise((r) => setTimeout(r, 1));
      route?.(countEvent);
      await new Promise((r) => setTimeout(r, 1));
      if (status >= 400) throw new ScimError(status, (body as { scimType?: never }).scimType, 'x');
      return scimResponse(status, body);
    },
    concurrent,
  });
  return emfDocuments(lines);
}

type Directive = { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] };
type Emf = { _aws: { CloudWatchMetrics: Directive[] } } & Record<string, unknown>;

/** Every (dimension set, values) under which `name` is published, one entry per directive that lists it. */
const named = (records: Record<string, unknown>[], name: string) =>
  (records as Emf[]).flatMap((r) =>
    r._aws.CloudWatchMetrics.filter((d) => d.Metrics.some((m) => m.Name === name)).map((d) => ({
      dimensions: d.Dimensions,
      values: Object.fromEntries([...d.Dimensions[0], name].map((k) => [k, r[k]])),
    })),
  );

describe('observability metrics (EMF)', () => {
  afterEach(() => vi.resetModules());

  it('counts a 409 under Errors with status and scimType, and ClientErrors per operation, without a service dimension', async () => {
    const records = await emfFor(409, { scimType: 'uniqueness' });
    const errors = named(records, 'Errors');
    expect(errors).toEqual([{ dimensions: [['tenant', 'status', 'scimType']], values: { tenant: 'acme', status: '409', scimType: 'uniqueness', Errors: 1 } }]);
    expect(named(records, 'ClientErrors')).toEqual([
      { dimensions: [['tenant']], values: { tenant: 'acme', ClientErrors: 1 } },
      { dimensions: [['tenant', 'operation']], values: { tenant: 'acme', operation: 'user.create', ClientErrors: 1 } },
    ]);
    expect(records.every((r) => !('service' in r) || !JSON.stringify(r._aws).includes('service'))).toBe(true);
  });

  it('counts a successful write as ProvisioningSuccess under [tenant] and [tenant, operation], and no error', async () => {
    const records = await emfFor(201, { id: '1' });
    expect(named(records, 'Errors')).toHaveLength(0);
    expect(named(records, 'ProvisioningSuccess').map((p) => p.dimensions)).toEqual([[['tenant']], [['tenant', 'operation']]]);
  });

  it('writes one line per request carrying every metric of the request and the log fields', async () => {
    const records = await emfFor(409, { scimType: 'uniqueness' });
    expect(records).toHaveLength(1);
    const [line] = records as Emf[];
    expect(line).toMatchObject({ level: 'INFO', message: 'request', method: 'POST', status: '409', requestId: 'r', tenant: 'acme', tokenId: 'tok_1', operation: 'user.create' });
    const published = line._aws.CloudWatchMetrics.map((d) => [d.Dimensions[0].join(','), d.Metrics.map((m) => m.Name).sort()]);
    expect(published).toEqual([
      ['tenant', ['ClientErrors', 'Requests']],
      ['tenant,operation', ['ClientErrors', 'Requests']],
      ['tenant,status,scimType', ['Errors']],
    ]);
  });

  it('puts the events a route counts into the same document as the request metrics', async () => {
    const records = await emfFor(201, { id: '1' }, (countEvent) => {
      countEvent('UsersCreated');
      countEvent('MembersAdded', 3);
    });
    expect(records).toHaveLength(1);
    expect(named(records, 'UsersCreated')).toEqual([{ dimensions: [['tenant']], values: { tenant: 'acme', UsersCreated: 1 } }]);
    expect(named(records, 'MembersAdded')).toEqual([{ dimensions: [['tenant']], values: { tenant: 'acme', MembersAdded: 3 } }]);
  });

  it('keeps the metrics of concurrent requests apart', async () => {
    const records = await emfFor(201, { id: '1' }, (countEvent) => countEvent('UsersCreated'), 2);
    expect(records).toHaveLength(2);
    expect(named(records, 'UsersCreated').map((p) => p.values.UsersCreated)).toEqual([1, 1]);
  });
});
