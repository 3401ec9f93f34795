import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import type { LocalPool } from '../../lambdas/local/startLocalPool';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { createDynamoClients } from '../../lambdas/store/clients';
import { POOL_KEYS } from '../../lambdas/store/keys';
import { POOL_WEBHOOK_SK } from '../../lambdas/store/PoolWebhooks';
import { startTestPool } from '../support/localStack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function post(url: string, token: string, body: unknown): Promise<{ status: number; id?: string }> {
  const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { id?: string };
  return { status: res.status, id: json.id };
}

async function managementError(call: Promise<unknown>): Promise<ManagementApiError> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ManagementApiError);
  return e as ManagementApiError;
}

describe("a pool's webhooks, set per tenant at run time through the management API", () => {
  let pool: LocalPool;
  let receiver: WebhookReceiver;
  let receiverUrl = '';
  let deliveries: WebhookReceiver['deliveries'] = [];
  const { doc, client } = createDynamoClients({ endpoint: inject('dynamoEndpoint') });

  /** Waits until the stream poller has handed every committed change to the sinks. */
  const settle = async () => {
    await pool.feed!.drain();
    await pool.feed!.drain();
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    receiverUrl = receiver.url;
    deliveries = receiver.deliveries;
    pool = await startTestPool('poolhooks');
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    await receiver?.close();
    client.destroy();
  });

  it("delivers each tenant's events only to its own URL, signed with its own secret, which the reference verifier accepts", async () => {
    // Arrange
    const a = await pool.management.enableTenant(`wa-${randomUUID().slice(0, 6)}`);
    const b = await pool.management.enableTenant(`wb-${randomUUID().slice(0, 6)}`);
    const silent = await pool.management.enableTenant(`wc-${randomUUID().slice(0, 6)}`);
    const hookA = await pool.management.setWebhook(a.tenant, { url: `${receiverUrl}/a` });
    const hookB = await pool.management.setWebhook(b.tenant, { url: `${receiverUrl}/b` });
    expect(hookA.secret).toMatch(/^whsec_/);
    expect(hookB.secret).not.toBe(hookA.secret);
    // Act
    const ua = await post(`${a.scimBaseUrl}/Users`, a.token, { schemas: [USER], userName: 'ann@a.example' });
    const ub = await post(`${b.scimBaseUrl}/Users`, b.token, { schemas: [USER], userName: 'bob@b.example' });
    await post(`${silent.scimBaseUrl}/Users`, silent.token, { schemas: [USER], userName: 'cy@c.example' });
    await settle();
    // Assert
    const toA = deliveries.filter((d) => d.path === '/a');
    const toB = deliveries.filter((d) => d.path === '/b');
    expect(deliveries.filter((d) => d.path !== '/a' && d.path !== '/b')).toEqual([]);
    expect(toA.map((d) => JSON.parse(d.body) as { tenant: string; type: string; resourceId: string })).toEqual([expect.objectContaining({ tenant: a.tenant, type: 'user.created', resourceId: ua.id })]);
    expect(toB.map((d) => (JSON.parse(d.body) as { resourceId: string }).resourceId)).toEqual([ub.id]);
    const verified = new Webhook(hookA.secret!).verify(toA[0].body, toA[0].headers) as { id: string };
    expect(toA[0].headers['webhook-id']).toBe(verified.id);
    // Another tenant's secret, or a changed byte, does not verify.
    expect(() => new Webhook(hookB.secret!).verify(toA[0].body, toA[0].headers)).toThrow();
    expect(() => new Webhook(hookA.secret!).verify(toA[0].body.replace('ann@', 'eve@'), toA[0].headers)).toThrow();
  });

  it('keeps the secret sealed in the table, shows it only when set, and a sealed secret copied to another tenant does not open', async () => {
    // Arrange
    const a = await pool.management.enableTenant(`sa-${randomUUID().slice(0, 6)}`);
    const b = await pool.management.enableTenant(`sb-${randomUUID().slice(0, 6)}`);
    const set = await pool.management.setWebhook(a.tenant, { url: `${receiverUrl}/sealed` });
    // Act
    const shown = await pool.management.getWebhook(a.tenant);
    const item = (await doc.send(new GetCommand({ TableName: pool.tableName, Key: { PK: POOL_KEYS.tenantPartition(a.tenant), SK: POOL_WEBHOOK_SK } }))).Item!;
    // Assert
    expect(shown).toEqual({ tenant: a.tenant, url: `${receiverUrl}/sealed`, createdAt: set.createdAt, updatedAt: set.updatedAt });
    expect(JSON.stringify(item)).not.toContain(set.secret!.slice('whsec_'.length));
    // B's record gets A's sealed secret: B's event is then not delivered at all, never signed with A's secret.
    await pool.management.setWebhook(b.tenant, { url: `${receiverUrl}/copied` });
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const bKey = { PK: POOL_KEYS.tenantPartition(b.tenant), SK: POOL_WEBHOOK_SK };
    const bItem = (await doc.send(new GetCommand({ TableName: pool.tableName, Key: bKey }))).Item!;
    await doc.send(new PutCommand({ TableName: pool.tableName, Item: { ...bItem, sealedSecret: item.sealedSecret } }));
    await post(`${b.scimBaseUrl}/Users`, b.token, { schemas: [USER], userName: 'x@b.example' });
    await settle();
    expect(deliveries.filter((d) => d.path === '/copied')).toEqual([]);
    await pool.management.removeWebhook(b.tenant);
  });

  it('rotates the secret on request, keeps it when only the URL changes, and stops delivering once the webhook is removed', async () => {
    // Arrange
    const a = await pool.management.enableTenant(`ra-${randomUUID().slice(0, 6)}`);
    const first = await pool.management.setWebhook(a.tenant, { url: `${receiverUrl}/r1` });
    // Act
    const moved = await pool.management.setWebhook(a.tenant, { url: `${receiverUrl}/r2` });
    await post(`${a.scimBaseUrl}/Users`, a.token, { schemas: [USER], userName: 'one@r.example' });
    await settle();
    const rotated = await pool.management.setWebhook(a.tenant, { url: `${receiverUrl}/r2`, rotateSecret: true });
    await post(`${a.scimBaseUrl}/Users`, a.token, { schemas: [USER], userName: 'two@r.example' });
    await settle();
    await pool.management.removeWebhook(a.tenant);
    await post(`${a.scimBaseUrl}/Users`, a.token, { schemas: [USER], userName: 'three@r.example' });
    await settle();
    // Assert
    expect(moved.secret).toBeUndefined();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first.secret);
    const got = deliveries.filter((d) => d.path === '/r2');
    expect(got.map((d) => (JSON.parse(d.body) as { data: { resource: { userName: string } } }).data.resource.userName)).toEqual(['one@r.example', 'two@r.example']);
    expect(() => new Webhook(first.secret!).verify(got[0].body, got[0].headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret!).verify(got[1].body, got[1].headers)).not.toThrow();
    expect(() => new Webhook(first.secret!).verify(got[1].body, got[1].headers)).toThrow();
    expect((await managementError(pool.management.getWebhook(a.tenant))).status).toBe(404);
  });

  it('refuses URLs that are not HTTPS to a DNS name, a malformed secret, and an unknown tenant, with 400 and 404', async () => {
    const a = await pool.management.enableTenant(`va-${randomUUID().slice(0, 6)}`);
    for (const url of ['http://hooks.vendor-corp.io/x', 'https://169.254.169.254/latest', 'https://user:pw@hooks.vendor-corp.io/', 'ftp://hooks.vendor-corp.io', 'not a url']) {
      const e = await managementError(pool.management.setWebhook(a.tenant, { url }));
      expect([e.status, e.code]).toEqual([400, 'invalid_request']);
    }
    expect((await managementError(pool.management.setWebhook(a.tenant, { url: 'https://hooks.vendor-corp.io/x', secret: 'whsec_short' }))).status).toBe(400);
    expect((await managementError(pool.management.setWebhook('nobody-here', { url: 'https://hooks.vendor-corp.io/x' }))).status).toBe(404);
    // A secret of the vendor's own is taken as given (and never shown back).
    const own = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const set = await pool.management.setWebhook(a.tenant, { url: 'https://hooks.vendor-corp.io/x', secret: own });
    expect(set.secret).toBeUndefined();
  });
});
