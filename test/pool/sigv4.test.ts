import { describe, it, expect } from 'vitest';
import { signRequest, verifyRequest } from '../../lambdas/pool/management/sigv4';

const CREDS = { accessKeyId: 'AKLOCALTEST', secretAccessKey: 'local-secret-for-tests' };
const url = new URL('http://127.0.0.1:9999/manage/tenants');
const body = JSON.stringify({ tenant: 'acme' });

async function signed(at = new Date()) {
  const headers = await signRequest({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body }, CREDS, 'local', at);
  return { method: 'POST', url, headers, body };
}

describe('management API SigV4', () => {
  it('accepts a request signed with the expected credentials', async () => {
    // Act / Assess
    await expect(verifyRequest(await signed(), CREDS, 'local')).resolves.toBe(true);
  });

  it.each([
    ['a changed body', async () => ({ ...(await signed()), body: JSON.stringify({ tenant: 'evil' }) })],
    ['another path', async () => ({ ...(await signed()), url: new URL('http://127.0.0.1:9999/manage/tenants/acme/disable') })],
    ['another method', async () => ({ ...(await signed()), method: 'DELETE' })],
    ['a request signed 10 minutes ago', async () => signed(new Date(Date.now() - 10 * 60_000))],
    ['no Authorization header', async () => ({ method: 'POST', url, headers: {}, body })],
    ['a SCIM bearer token', async () => ({ method: 'POST', url, headers: { authorization: 'Bearer scim_acme_x' }, body })],
  ])('refuses %s', async (_name, make) => {
    // Act / Assess
    await expect(verifyRequest(await make(), CREDS, 'local')).resolves.toBe(false);
  });

  it('refuses a request signed with another secret key', async () => {
    // Prepare
    const headers = await signRequest({ method: 'POST', url, headers: {}, body }, { ...CREDS, secretAccessKey: 'guess' }, 'local');
    // Act / Assess
    await expect(verifyRequest({ method: 'POST', url, headers, body }, CREDS, 'local')).resolves.toBe(false);
  });
});
