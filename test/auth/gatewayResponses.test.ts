import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCIM_GATEWAY_RESPONSES, THROTTLED_RESPONSE } from '../../lambdas/contracts/authGatewayResponses';

describe('SCIM_GATEWAY_RESPONSES', () => {
  it.each(SCIM_GATEWAY_RESPONSES.map((r) => [r.type, r] as const))('%s carries an RFC 7644 error body as application/scim+json', (_type, response) => {
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(response.statusCode) });
    expect(response.headers['Content-Type']).toBe('application/scim+json');
  });

  it('tells throttled clients when to retry and names the missing scope on 403', () => {
    expect(THROTTLED_RESPONSE.headers['Retry-After']).toMatch(/^\d+$/);
    expect(SCIM_GATEWAY_RESPONSES.find((r) => r.type === 'ACCESS_DENIED')?.body).toContain('scim:write');
  });

  it('imports nothing but other contracts, so lib/ can use it without bundling the AWS SDK', async () => {
    const source = await readFile(new URL('../../lambdas/contracts/authGatewayResponses.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^\s*import\s.*from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(imports.every((i) => i.startsWith('./'))).toBe(true);
  });
});
