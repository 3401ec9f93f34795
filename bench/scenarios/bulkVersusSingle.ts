import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_MAX_RESPONSE_BYTES, FUNCTION_TIMEOUT_SECONDS, BULK_FUNCTION_MEMORY_MB, LAMBDA_MB_PER_VCPU } from '../../lambdas/contracts/awsLimits';
import { BULK_LIMITS } from '../../lambdas/handlers/resources/capabilities';
import { progress } from '../harness';
import { countedPhase, scimClient, startCountingServer, type DynamoDelta, type LoadReply, type LoadRequest } from '../httpLoad';
import type { BenchScenario } from '../scenario';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Creates per phase: the advertised maxOperations, so the bulk phases are one BulkRequest each. */
const CREATES = BULK_LIMITS.maxOperations;
/** Single POSTs in flight at once (an IdP's parallel workers, as in initialSync). */
const CONCURRENCY = 16;

/** One phase: 1,000 user creates, one way. */
export interface BulkPhase extends DynamoDelta {
  readonly httpRequests: number;
  readonly seconds: number;
  /** Users created (201), and for a BulkRequest the per-operation statuses. */
  readonly created: number;
  readonly byStatus: Record<string, number>;
  /** Largest response of the phase as Lambda measures it (the serialized proxy result, estimated from the HTTP answer). */
  readonly largestResponseBytes: number;
  /** That response's share of Lambda's 6 MB response payload limit, %. */
  readonly largestResponseOfLimitPct: number;
  /** Body bytes of the largest request sent. */
  readonly largestRequestBytes: number;
}

/**
 * What Lambda would count for an answer: the proxy result's JSON (status, headers, body as an
 * escaped string), rebuilt from the HTTP answer the local server wrote from it.
 */
function proxyResultBytes(reply: LoadReply): number {
  const headers = Object.fromEntries(Object.entries(reply.headers).filter(([k]) => k.toLowerCase() === 'content-type' || k.toLowerCase() === 'location' || k.toLowerCase() === 'etag'));
  return Buffer.byteLength(JSON.stringify({ statusCode: reply.status, headers, body: reply.body }));
}

function user(tag: string, i: number, password: boolean): Record<string, unknown> {
  const userName = `${tag}${i}@contoso.example`;
  return {
    schemas: [USER],
    userName,
    externalId: `${tag}-${i}`,
    active: true,
    displayName: `${tag} ${i}`,
    name: { givenName: tag, familyName: String(i) },
    emails: [{ type: 'work', value: userName, primary: true }],
    ...(password ? { password: `Bench-${tag}-${i}-pw!` } : {}),
  };
}

/**
 * `bulkVersusSingle`: 1,000 user creates (README "Bulk"), without and with passwords, as 1,000
 * single POSTs (16 in flight) and as one BulkRequest of 1,000 operations, over HTTP against the
 * local server (startLocalStack, which enforces the bulk function's 28 s timeout and budget, and
 * Lambda's 6 MB response limit). Per phase: wall time, DynamoDB calls and units, the operations'
 * statuses (a 503 is an operation the time budget left for a retry), and the largest response
 * against Lambda's limit. The same in quick and full runs: 1,000 is the point.
 */
export const bulkVersusSingleScenario: BenchScenario = {
  name: 'bulkVersusSingle',
  async run() {
    const dataDir = join(process.cwd(), 'node_modules', '.cache', `scim-bench-bulk-${process.pid}`);
    mkdirSync(dataDir, { recursive: true });
    const server = await startCountingServer(dataDir);
    const client = scimClient(server, CONCURRENCY * 2);
    const phases: Record<string, BulkPhase> = {};
    const phase = async (name: string, requests: LoadRequest[], created: (reply: LoadReply, byStatus: Record<string, number>) => number): Promise<void> => {
      const byStatus: Record<string, number> = {};
      let largest = 0;
      let largestRequest = 0;
      let made = 0;
      const { seconds, ...dynamo } = await countedPhase(server, requests, CONCURRENCY, async (r) => {
        largestRequest = Math.max(largestRequest, Buffer.byteLength(JSON.stringify(r.body ?? '')));
        const reply = await client.send(r, 60_000);
        largest = Math.max(largest, proxyResultBytes(reply));
        made += created(reply, byStatus);
      });
      phases[name] = {
        httpRequests: requests.length,
        seconds,
        created: made,
        byStatus,
        ...dynamo,
        largestResponseBytes: largest,
        largestResponseOfLimitPct: Math.round((1000 * largest) / LAMBDA_MAX_RESPONSE_BYTES) / 10,
        largestRequestBytes: largestRequest,
      };
      progress(`bulkVersusSingle ${name}: ${made}/${CREATES} created in ${seconds} s, ${phases[name].dynamodbRequests} DynamoDB requests, largest answer ${largest} bytes`);
    };
    const single = (reply: LoadReply, byStatus: Record<string, number>): number => {
      const key = reply.error ?? String(reply.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      return reply.status === 201 ? 1 : 0;
    };
    const bulk = (reply: LoadReply, byStatus: Record<string, number>): number => {
      if (reply.status !== 200) {
        byStatus[`http ${reply.error ?? reply.status}`] = 1;
        return 0;
      }
      const ops = (JSON.parse(reply.body) as { Operations: { status: string }[] }).Operations;
      for (const op of ops) byStatus[op.status] = (byStatus[op.status] ?? 0) + 1;
      return ops.filter((op) => op.status === '201').length;
    };
    const bulkOf = (tag: string, password: boolean): LoadRequest => ({
      method: 'POST',
      path: '/Bulk',
      body: {
        schemas: [BULK_REQUEST],
        Operations: Array.from({ length: CREATES }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: user(tag, i, password) })),
      },
    });
    const singles = (tag: string, password: boolean): LoadRequest[] => Array.from({ length: CREATES }, (_, i) => ({ method: 'POST', path: '/Users', body: user(tag, i, password) }));
    try {
      await phase('singlePosts', singles('single', false), single);
      await phase('singlePostsWithPasswords', singles('singlepw', true), single);
      await phase('bulk', [bulkOf('bulk', false)], bulk);
      await phase('bulkWithPasswords', [bulkOf('bulkpw', true)], bulk);
    } finally {
      client.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    const budget = FUNCTION_TIMEOUT_SECONDS.bulk;
    const vcpus = Math.round((BULK_FUNCTION_MEMORY_MB / LAMBDA_MB_PER_VCPU) * 10) / 10;
    const markdown = [
      `${CREATES.toLocaleString('en-US')} user creates per phase; single POSTs ${CONCURRENCY} in flight; a bulk phase is one BulkRequest. The bulk function's timeout is ${budget} s at ${BULK_FUNCTION_MEMORY_MB.toLocaleString('en-US')} MB (${vcpus} vCPU) when deployed; here it runs on this machine's cores.`,
      '',
      '| phase | HTTP requests | s | created | statuses | DynamoDB requests | RCU (AWS) | WCU (AWS) | item writes | largest response | of 6 MB |',
      '|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
      ...Object.entries(phases).map(
        ([k, p]) =>
          `| ${k} | ${p.httpRequests} | ${p.seconds} | ${p.created} | ${Object.entries(p.byStatus).map(([s, n]) => `${n}× ${s}`).join(', ')} | ${p.dynamodbRequests} | ${p.readUnitsAwsPriced} | ${p.writeUnitsAwsPriced} | ${p.itemWrites} | ${p.largestResponseBytes.toLocaleString('en-US')} B | ${p.largestResponseOfLimitPct}% |`,
      ),
    ].join('\n');
    const target = (name: string, text: string, pass: (p: BulkPhase) => boolean) => {
      const p = phases[name];
      return { target: text, measured: p ? `${p.created}/${CREATES} created in ${p.seconds} s, largest answer ${p.largestResponseOfLimitPct}% of 6 MB` : 'not measured', pass: p ? pass(p) : false };
    };
    return {
      figures: { creates: CREATES, concurrency: CONCURRENCY, bulkTimeoutSeconds: budget, bulkMemoryMb: BULK_FUNCTION_MEMORY_MB, phases },
      markdown,
      targets: {
        'bulkVersusSingle.bulk': target('bulk', `one BulkRequest of ${CREATES} creates (no passwords) applies all of them within the ${budget} s timeout, its answer under 6 MB`, (p) => p.created === CREATES && p.seconds < budget && p.largestResponseBytes < LAMBDA_MAX_RESPONSE_BYTES),
        'bulkVersusSingle.bulkWithPasswords': target(
          'bulkWithPasswords',
          `one BulkRequest of ${CREATES} creates with passwords answers inside the ${budget} s timeout (what does not fit: per-operation 503), never half-applied`,
          (p) => p.seconds < budget && p.created + (p.byStatus['503'] ?? 0) === CREATES && p.largestResponseBytes < LAMBDA_MAX_RESPONSE_BYTES,
        ),
      },
      notes: [
        `bulkVersusSingle: local server (startLocalStack) in its own process with DynamoDB Local in memory, on a shared machine; the deployed bulk function has ${vcpus} vCPU for its scrypt hashes, this machine has its own cores, so the with-passwords bulk phase may hit the time budget here and not on AWS.`,
      ],
    };
  },
};
