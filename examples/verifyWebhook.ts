/**
 * A webhook receiver that verifies Standard Webhooks signatures with the reference `standardwebhooks`
 * package before trusting a byte of the body. Answers 204 for a verified event, 400 otherwise (the
 * sender retries only non-2xx, so a forged request is simply refused).
 *
 *   SCIM_WEBHOOK_SECRET=whsec_... PORT=9000 npx tsx examples/verifyWebhook.ts
 *   (the secret: the stack's WebhookSecretArn output, or the one npm start prints)
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.SCIM_WEBHOOK_SECRET;
if (!secret) {
  process.stderr.write('set SCIM_WEBHOOK_SECRET (whsec_...)\n');
  process.exit(1);
}
const webhook = new Webhook(secret.startsWith('whsec_') ? secret : `whsec_${secret}`);
const seen = new Set<string>();

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    let event: { id: string; type: string; resourceType: string; resourceId: string };
    try {
      // Verifies the signature over id, timestamp and the raw body, and that the timestamp is recent (replays).
      event = webhook.verify(raw, req.headers as Record<string, string>) as typeof event;
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(204).end();
    // The same event may come again after a retry: its webhook-id (the event id) tells.
    if (seen.has(event.id)) return;
    seen.add(event.id);
    process.stdout.write(`verified ${event.type} ${event.resourceType}/${event.resourceId} (${event.id})\n`);
  });
}).listen(Number(process.env.PORT ?? 9000), '127.0.0.1');
