import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startLocalStack, type LocalStack } from '../../lambdas/local/startLocalStack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('webhooks of a per-tenant stack on the local server (npm start with SCIM_WEBHOOK_URL)', () => {
  let stack: LocalStack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(200);
    stack = await startLocalStack({
      dataDir: mkdtempSync(join(tmpdir(), 'scim-hooks-')),
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `hooks-${randomUUID().slice(0, 8)}`,
      changeFeed: true,
      webhook: { url: `${receiver.url}/scim`, secret: SECRET },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('POSTs each committed change signed so the standardwebhooks reference verifier accepts it, and refuses it tampered or under another secret', async () => {
    // Act
    const res = await fetch(`${stack.baseUrl}/Users`, { method: 'POST', headers: { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ schemas: [USER], userName: 'hook@silo.example' }) });
    const { id } = (await res.json()) as { id: string };
    // A rejected request sends nothing.
    await fetch(`${stack.baseUrl}/Users`, { method: 'POST', headers: { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ schemas: [USER], userName: 'hook@silo.example' }) });
    await stack.feed!.drain();
    await stack.feed!.drain();
    // Assert
    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    const event = new Webhook(SECRET).verify(delivery.body, delivery.headers) as { id: string; type: string; resourceId: string };
    expect([event.type, event.resourceId, delivery.headers['webhook-id']]).toEqual(['user.created', id, event.id]);
    expect(() => new Webhook(SECRET).verify(delivery.body.replace('hook@', 'evil@'), delivery.headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(delivery.body, { ...delivery.headers, 'webhook-id': 'evt_other' })).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(delivery.body, delivery.headers)).toThrow();
  });
});
