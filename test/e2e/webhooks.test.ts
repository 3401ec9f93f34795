import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startLocalStack, type LocalStack } from '../../lambdas/local/startLocalStack';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('webhooks of a per-tenant stack on the local server (npm start with SCIM_WEBHOOK_URL)', () => {
  let stack: LocalStack;
  let receiver: Server;
  const got: { headers: Record<string, string>; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        got.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    stack = await startLocalStack({
      dataDir: mkdtempSync(join(tmpdir(), 'scim-hooks-')),
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `hooks-${randomUUID().slice(0, 8)}`,
      changeFeed: true,
      webhook: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/scim`, secret: SECRET },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await new Promise((r) => receiver?.close(r));
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
    expect(got).toHaveLength(1);
    const [delivery] = got;
    const event = new Webhook(SECRET).verify(delivery.body, delivery.headers) as { id: string; type: string; resourceId: string };
    expect([event.type, event.resourceId, delivery.headers['webhook-id']]).toEqual(['user.created', id, event.id]);
    expect(() => new Webhook(SECRET).verify(delivery.body.replace('hook@', 'evil@'), delivery.headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(delivery.body, { ...delivery.headers, 'webhook-id': 'evt_other' })).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(delivery.body, delivery.headers)).toThrow();
  });
});
