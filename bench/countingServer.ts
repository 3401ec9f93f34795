/**
 * A child process for bench/scenarios/initialSync.ts: the local tenant exactly as `npm start`
 * builds it (startLocalStack: DynamoDB Local, table, token, real handlers and authorizer behind
 * the node:http adapter), with the bench's request counter and AWS pricing meter on its DynamoDB
 * client. Prints one JSON line `{ baseUrl, token }`; answers IPC `counts` with the totals since
 * start and exits on `stop`. A separate process so the load generator does not share its CPU time.
 */
import '../bench/env';
import { join } from 'node:path';
import { attachRequestCounter } from '../lambdas/store';
import { startLocalStack } from '../lambdas/local/startLocalStack';
import { attachPricingMeter } from './pricing';

async function main(): Promise<void> {
  const dataDir = process.env.SCIM_DATA_DIR ?? join(process.cwd(), '.bench-server');
  const stack = await startLocalStack({ dataDir, port: 0, inMemory: true });
  const counter = attachRequestCounter(stack.doc);
  const meter = attachPricingMeter(stack.doc);
  process.on('message', (m: unknown) => {
    if (m === 'counts') {
      const c = counter.counts;
      process.send?.({ counts: { requests: c.requests, byCommand: c.byCommand, readUnits: c.readUnits, writeUnits: c.writeUnits, itemWrites: c.itemWrites, scans: c.scans, ...meter.totals() } });
    } else if (m === 'reset') {
      counter.reset();
      meter.reset();
      process.send?.({ reset: true });
    } else if (m === 'stop') {
      void stack.close().finally(() => process.exit(0));
    }
  });
  process.stdout.write(`${JSON.stringify({ baseUrl: stack.baseUrl, token: stack.token })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`counting server failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
