import { afterEach, describe, expect, it, vi } from 'vitest';
import { resourceIdOf } from '../../lambdas/http/resourceIdOf';
import { runThroughChain } from '../support/middyChain';

/** The request's log line (message "request") for one call through the real middy chain. */
async function requestLine(method: string, path: string, answer: { status: number; scimType?: string; location?: string }): Promise<Record<string, unknown>> {
  const lines = await runThroughChain({
    // The suite runs quiet (no INFO lines); the request line is what is under test here.
    env: { POWERTOOLS_LOG_LEVEL: 'INFO' },
    route: ({ scimResponse, ScimError }) => async () => {
      if (answer.status >= 400) throw new ScimError(answer.status, answer.scimType as never, 'userName "alice@contoso.com" is taken');
      const res = scimResponse(answer.status, { id: 'x', userName: 'alice@contoso.com' });
      return answer.location ? { ...res, headers: { ...res.headers, Location: answer.location } } : res;
    },
    method,
    path: `/scim/v2${path}`,
    body: method === 'GET' ? null : JSON.stringify({ userName: 'alice@contoso.com' }),
    requestId: 'req-1',
  });
  const line = lines.find((l) => l.includes('"request"'));
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

describe('request log line', () => {
  afterEach(() => vi.resetModules());

  it('carries status, operation and the created resource id for a POST, and no personal data', async () => {
    const line = await requestLine('POST', '/Users', { status: 201, location: 'https://x/scim/v2/Users/2819c223-7f76-453a-919d-413861904646' });
    expect(line).toMatchObject({ status: '201', operation: 'user.create', resourceId: '2819c223-7f76-453a-919d-413861904646', requestId: 'req-1', tenant: 'acme', tokenId: 'tok_1' });
    expect(JSON.stringify(line)).not.toContain('alice');
  });

  it('carries status, scimType, operation and the resource id of a failed PATCH', async () => {
    const line = await requestLine('PATCH', '/Users/2819c223-7f76-453a-919d-413861904646', { status: 409, scimType: 'uniqueness' });
    expect(line).toMatchObject({ status: '409', scimType: 'uniqueness', operation: 'user.patch', resourceId: '2819c223-7f76-453a-919d-413861904646' });
    expect(JSON.stringify(line)).not.toContain('alice');
  });
});

describe('resourceIdOf', () => {
  it.each([
    ['/Users/abc-123', undefined, 'abc-123'],
    ['/Groups/abc-123', undefined, 'abc-123'],
    ['/Users', 'https://x/scim/v2/Users/new-id', 'new-id'],
    ['/Users/.search', undefined, undefined],
    ['/Users', undefined, undefined],
    ['/ServiceProviderConfig', undefined, undefined],
    ['/Users/alice%40contoso.com', undefined, '(not an id)'],
  ])('reads %s (Location %s) as %s', (path, location, expected) => {
    expect(resourceIdOf(path, location)).toBe(expected);
  });
});
