import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got: its path, its single-valued headers and its body. */
export interface Delivery {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A webhook consumer on loopback that records every request it gets. */
export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:40123 (no trailing slash): add a path per tenant or hook. */
  readonly url: string;
  /** What it got, in arrival order. */
  readonly deliveries: Delivery[];
  close(): Promise<void>;
}

/** Starts a webhook consumer on a free loopback port, answering every request with `status`. */
export async function startWebhookReceiver(status = 204): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      deliveries.push({ path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
