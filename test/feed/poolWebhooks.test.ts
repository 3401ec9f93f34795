import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { KmsSecretSealer } from '../../lambdas/feed/webhookSecrets';
import { createWebhookTargets, TenantWebhookFilterSink } from '../../lambdas/feed/webhookTargets';
import { WebhookQueueSink } from '../../lambdas/feed/WebhookQueueSink';
import { createWebhookHandler } from '../../lambdas/handlers/webhook';
import { PoolDirectory } from '../../lambdas/store/PoolDirectory';
import { PoolWebhooks } from '../../lambdas/store/PoolWebhooks';
import type { ChangeEvent } from '../../lambdas/events';
import { createTestTable, type TestTable } from '../support/dynamo';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/pool-webhooks';
const SECRET_A = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

/** A stand-in ciphertext that names what KMS would bind it to, so the test sees what each call asked for. */
const kms = mockClient(KMSClient);
kms.on(EncryptCommand).callsFake((input: { Plaintext: Uint8Array; EncryptionContext: Record<string, string> }) => ({
  CiphertextBlob: Buffer.from(JSON.stringify({ ctx: input.EncryptionContext, p: Buffer.from(input.Plaintext).toString('utf8') })),
}));
kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array; EncryptionContext: Record<string, string> }) => {
  const sealed = JSON.parse(Buffer.from(input.CiphertextBlob).toString('utf8')) as { ctx: Record<string, string>; p: string };
  // KMS refuses a Decrypt whose encryption context differs from the Encrypt's.
  if (JSON.stringify(sealed.ctx) !== JSON.stringify(input.EncryptionContext)) throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
  return { Plaintext: Buffer.from(sealed.p) };
});

const event = (tenant: string, n: number) => ({ id: `evt_${String(n).padStart(32, '0')}`, tenant, type: 'user.created', resourceType: 'User', resourceId: `u${n}` }) as unknown as ChangeEvent;

describe("the pool's webhook delivery function and the stream handler's webhook queue", () => {
  let table: TestTable;
  let webhooks: PoolWebhooks;
  const sealer = new KmsSecretSealer(new KMSClient({ region: 'eu-west-1' }), KEY);
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  let origin = '';

  beforeAll(async () => {
    table = await createTestTable('poolhooks');
    const directory = new PoolDirectory({ doc: table.doc, tableName: table.tableName });
    webhooks = new PoolWebhooks({ doc: table.doc, tableName: table.tableName });
    for (const t of ['acme', 'globex', 'initech']) await directory.createTenant(t, {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await webhooks.put({ tenant: 'acme', url: `${origin}/acme`, sealedSecret: await sealer.seal('acme', SECRET_A) }, new Date().toISOString());
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    table.client.destroy();
  });

  it("seals and opens with the pool's key under an encryption context naming the tenant", async () => {
    kms.resetHistory();
    const sealed = await sealer.seal('acme', SECRET_A);
    expect(await sealer.open('acme', sealed)).toBe(SECRET_A);
    await expect(sealer.open('globex', sealed)).rejects.toThrow(/InvalidCiphertext/);
    expect(kms.commandCalls(EncryptCommand)[0].args[0].input).toMatchObject({ KeyId: KEY, EncryptionContext: { purpose: 'scim-webhook-secret', tenant: 'acme' } });
    expect(kms.commandCalls(DecryptCommand).map((c) => c.args[0].input.EncryptionContext?.tenant)).toEqual(['acme', 'globex']);
  });

  it("delivers a queued event to its tenant's URL signed with its tenant's secret, and drops a tenant's event once it has no webhook", async () => {
    // Arrange
    const targets = createWebhookTargets({ webhooks, sealer });
    const handler = createWebhookHandler({ targetOf: (t) => targets.targetOf(t), delay: async () => undefined });
    const record = (messageId: string, e: ChangeEvent): SQSRecord =>
      ({ messageId, body: JSON.stringify(e), receiptHandle: `rh-${messageId}`, attributes: { ApproximateReceiveCount: '1' }, eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q' }) as unknown as SQSRecord;
    kms.resetHistory();
    // Act
    const res = await handler({ Records: [record('m1', event('acme', 1)), record('m2', event('globex', 2)), record('m3', event('acme', 3))] });
    // Assert
    expect(res.batchItemFailures).toEqual([]);
    expect(received.map((r) => r.path)).toEqual(['/acme', '/acme']);
    expect(() => new Webhook(SECRET_A).verify(received[0].body, received[0].headers as Record<string, string>)).not.toThrow();
    // One Decrypt for the tenant's two events: the opened secret is cached.
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
  });

  it('queues only the events of tenants that have a webhook', async () => {
    // Arrange
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const sink = new TenantWebhookFilterSink(new WebhookQueueSink(new SQSClient({ region: 'eu-west-1' }), 'https://sqs/q'), createWebhookTargets({ webhooks }));
    // Act
    await sink.publish([event('globex', 1), event('acme', 2), event('initech', 3), event('acme', 4)]);
    await sink.publish([event('globex', 5)]);
    // Assert
    const sent = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(sent.map((e) => (JSON.parse(e.MessageBody!) as ChangeEvent).id)).toEqual([event('acme', 2).id, event('acme', 4).id]);
    sqs.restore();
  });
});
