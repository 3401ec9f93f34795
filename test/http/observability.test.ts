import { describe, it, expect, vi, afterEach } from 'vitest';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** Runs one request through the real middy chain with EMF output captured from stdout. */
async function emfFor(status: number, body: unknown): Promise<Record<string, unknown>[]> {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const { createScimHandler } = await import('../../lambdas/http/createScimHandler');
    const { scimResponse } = await import('../../lambdas/http/responses');
    const { ScimError } = await import('../../lambdas/scim/errors');
    const handler = createScimHandler(async () => {
      if (status >= 400) throw new ScimError(status, (body as { scimType?: never }).scimType, 'x');
      return scimResponse(status, body);
    });
    const event = {
      httpMethod: 'POST',
      path: '/scim/v2/Users',
      headers: {},
      body: null,
      requestContext: { path: '/scim/v2/Users', domainName: 'x', authorizer: { scopes: 'scim:read scim:write', tenant: 'acme', tokenId: 'tok_1' } },
    } as unknown as APIGatewayProxyEvent;
    await handler(event, { awsRequestId: 'r' } as Context);
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

type Emf = { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
const named = (records: Record<string, unknown>[], name: string) =>
  (records as Emf[]).filter((r) => r._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === name));

describe('observability metrics (EMF)', () => {
  afterEach(() => vi.resetModules());

  it('counts a 409 under Errors with status and scimType, and ClientErrors per operation, without a service dimension', async () => {
    const records = await emfFor(409, { scimType: 'uniqueness' });
    const errors = named(records, 'Errors');
    expect(errors).toHaveLength(1);
    expect(errors[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual([['tenant', 'status', 'scimType']]);
    expect(errors[0]).toMatchObject({ tenant: 'acme', status: '409', scimType: 'uniqueness' });
    const perOperation = named(records, 'ClientErrors').find((r) => r.operation === 'user.create');
    expect(perOperation?._aws.CloudWatchMetrics[0].Dimensions).toEqual([['tenant', 'operation']]);
    expect(records.every((r) => !('service' in r))).toBe(true);
  });

  it('counts a successful write as ProvisioningSuccess under [tenant] and no error', async () => {
    const records = await emfFor(201, { id: '1' });
    expect(named(records, 'Errors')).toHaveLength(0);
    const success = named(records, 'ProvisioningSuccess');
    expect(success.some((r) => JSON.stringify(r._aws.CloudWatchMetrics[0].Dimensions) === JSON.stringify([['tenant']]))).toBe(true);
  });
});
