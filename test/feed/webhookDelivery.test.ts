import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { SQSRecord } from 'aws-lambda';
import { deliverWebhook, retryDelaySeconds, signWebhook, WEBHOOK_DELIVERY, WebhookDeliveryError } from '../../lambdas/feed/webhookDelivery';
import { createWebhookHandler } from '../../lambdas/handlers/webhook';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({ id: `evt_${'a'.repeat(32)}`, type: 'user.created', resourceType: 'User', resourceId: 'u1' });

describe('webhook delivery', () => {
  let status = 204;
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs a body the standardwebhooks reference verifier accepts, with the event id as webhook-id', async () => {
    // Prepare
    received = [];
    status = 204;
    // Act
    await deliverWebhook(body, { url, secret: SECRET });
    // Assess
    const [got] = received;
    expect(got.body).toBe(body);
    expect(got.headers['webhook-id']).toBe(`evt_${'a'.repeat(32)}`);
    const verified = new Webhook(SECRET).verify(got.body, got.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(body));
  });

  it('fails verification when the body, the id or the signature is tampered with', async () => {
    const headers = signWebhook(`evt_${'a'.repeat(32)}`, body, SECRET, new Date());
    const wh = new Webhook(SECRET);
    expect(() => wh.verify(body.replace('u1', 'u2'), headers)).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-id': `evt_${'b'.repeat(32)}` })).toThrow();
    expect(() => wh.verify(body, { ...headers, 'webhook-signature': headers['webhook-signature'].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).toThrow();
    expect(() => new Webhook('whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==').verify(body, headers)).toThrow();
  });

  it('treats a non-2xx answer as a failed delivery', async () => {
    status = 500;
    await expect(deliverWebhook(body, { url, secret: SECRET })).rejects.toBeInstanceOf(WebhookDeliveryError);
    status = 204;
  });

  it('backs off from 30 s doubling to at most 6 hours', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(WEBHOOK_DELIVERY.maxReceiveCount + 5)).toBe(WEBHOOK_DELIVERY.maxRetrySeconds);
  });

  it('reports a failed message to SQS with its next delay, and a delivered one not at all', async () => {
    // Prepare
    const delays: [string, number][] = [];
    const record = (messageId: string, b: string, receives: number): SQSRecord =>
      ({ messageId, body: b, receiptHandle: `rh-${messageId}`, attributes: { ApproximateReceiveCount: String(receives) }, eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q' }) as unknown as SQSRecord;
    const failing = body.replace('a'.repeat(32), 'f'.repeat(32));
    const handler = createWebhookHandler({
      url,
      secret: async () => SECRET,
      delay: async (r, s) => void delays.push([r.messageId, s]),
      // The receiver refuses one event (503) and takes the other.
      fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        (init?.headers as Record<string, string>)['webhook-id'] === `evt_${'f'.repeat(32)}` ? new Response(null, { status: 503 }) : fetch(input, init)) as typeof fetch,
    });
    // Act
    const res = await handler({ Records: [record('m1', body, 1), record('m2', failing, 3)] });
    // Assess
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(delays).toEqual([['m2', 120]]);
  });
});
