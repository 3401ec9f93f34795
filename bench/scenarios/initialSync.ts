import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { progress } from '../harness';
import { countedPhase, scimClient, startCountingServer, type DynamoDelta, type LoadRequest } from '../httpLoad';
import type { BenchScenario } from '../scenario';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Member changes per group PATCH (the bench's Entra batch, as in group.patch.*). */
export const MEMBERS_PER_PATCH = 10;
/** Requests in flight at once (Entra runs several requests of one job in parallel). */
const CONCURRENCY = 16;

/** One phase of the initial cycle. */
export interface SyncPhase extends DynamoDelta {
  readonly httpRequests: number;
  readonly seconds: number;
  readonly httpRps: number;
  readonly byStatus: Record<string, number>;
}

/**
 * `initialSync`: Entra's initial cycle over HTTP against the local server (startLocalStack in its
 * own process, with a DynamoDB counter): every user looked up by userName then POSTed, every
 * group looked up by displayName then POSTed empty, then the memberships added by PATCH in
 * batches of MEMBERS_PER_PATCH. Full: 10,000 users, 500 groups, 50,000 memberships; quick: a tenth.
 */
export const initialSyncScenario: BenchScenario = {
  name: 'initialSync',
  async run({ quick }) {
    const scale = quick ? 0.1 : 1;
    const nUsers = 10_000 * scale;
    const nGroups = 500 * scale;
    const nMemberships = 50_000 * scale;
    const dataDir = join(process.cwd(), 'node_modules', '.cache', `scim-bench-sync-${process.pid}`);
    mkdirSync(dataDir, { recursive: true });
    const server = await startCountingServer(dataDir);
    const client = scimClient(server, CONCURRENCY * 2);
    const phases: Record<string, SyncPhase> = {};
    const started = performance.now();
    try {
      const phase = async <T>(name: string, items: T[], steps: (item: T, send: (r: LoadRequest, expect: number) => Promise<string>) => Promise<void>) => {
        const byStatus: Record<string, number> = {};
        let http = 0;
        const send = async (r: LoadRequest, expect: number) => {
          http += 1;
          const reply = await client.send(r, 60_000);
          const key = reply.error ?? String(reply.status);
          byStatus[key] = (byStatus[key] ?? 0) + 1;
          if (reply.status !== expect) throw new Error(`${r.method} ${r.path}: ${reply.error ?? reply.status} ${reply.body.slice(0, 300)}`);
          return reply.body;
        };
        const { seconds, ...dynamo } = await countedPhase(server, items, CONCURRENCY, (item) => steps(item, send));
        phases[name] = { httpRequests: http, seconds, httpRps: Math.round((http / seconds) * 10) / 10, byStatus, ...dynamo };
        progress(`initialSync ${name}: ${http} HTTP requests in ${seconds} s, ${phases[name].dynamodbRequests} DynamoDB requests`);
      };
      const userIds: string[] = new Array(nUsers);
      await phase('users', Array.from({ length: nUsers }, (_, i) => i), async (i, send) => {
        const userName = `sync${i}@contoso.example`;
        const found = JSON.parse(await send({ method: 'GET', path: `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}` }, 200)) as { totalResults: number };
        if (found.totalResults !== 0) throw new Error(`lookup of a new user found ${found.totalResults}`);
        const body = { schemas: [USER], userName, externalId: `obj-${i}`, active: true, displayName: `Sync ${i}`, name: { givenName: 'Sync', familyName: String(i) }, emails: [{ type: 'work', value: userName, primary: true }] };
        userIds[i] = (JSON.parse(await send({ method: 'POST', path: '/Users', body }, 201)) as { id: string }).id;
      });
      const groupIds: string[] = new Array(nGroups);
      await phase('groups', Array.from({ length: nGroups }, (_, i) => i), async (i, send) => {
        const displayName = `Sync group ${i}`;
        await send({ method: 'GET', path: `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}` }, 200);
        groupIds[i] = (JSON.parse(await send({ method: 'POST', path: '/Groups', body: { schemas: [GROUP], displayName, externalId: `grp-${i}`, members: [] } }, 201)) as { id: string }).id;
      });
      // Memberships spread evenly: user u is in groups u mod G, (u + 1) mod G, ... (nMemberships / nUsers of them).
      const perUser = nMemberships / nUsers;
      const byGroup: string[][] = groupIds.map(() => []);
      for (let u = 0; u < nUsers; u++) for (let k = 0; k < perUser; k++) byGroup[(u + k * 97) % nGroups].push(userIds[u]);
      // Interleaved over the groups (chunk 0 of every group, then chunk 1, ...): requests in flight
      // change different groups, as Entra's per-user membership exports do.
      const patches = byGroup
        .flatMap((members, g) => Array.from({ length: Math.ceil(members.length / MEMBERS_PER_PATCH) }, (_, c) => ({ g, c, members: members.slice(c * MEMBERS_PER_PATCH, (c + 1) * MEMBERS_PER_PATCH) })))
        .sort((x, y) => x.c - y.c || x.g - y.g);
      await phase('memberships', patches, async ({ g, members }, send) => {
        await send({ method: 'PATCH', path: `/Groups/${groupIds[g]}`, body: { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: members.map((value) => ({ value })) }] } }, 204);
      });
    } finally {
      client.close();
      await server.stop();
    }
    const all = Object.values(phases);
    const total = {
      httpRequests: all.reduce((n, p) => n + p.httpRequests, 0),
      dynamodbRequests: all.reduce((n, p) => n + p.dynamodbRequests, 0),
      readUnitsAwsPriced: Math.round(all.reduce((n, p) => n + p.readUnitsAwsPriced, 0)),
      writeUnitsAwsPriced: Math.round(all.reduce((n, p) => n + p.writeUnitsAwsPriced, 0)),
      itemWrites: all.reduce((n, p) => n + p.itemWrites, 0),
      wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
    const markdown = [
      `${nUsers.toLocaleString('en-US')} users, ${nGroups} groups, ${nMemberships.toLocaleString('en-US')} memberships (PATCHes of ${MEMBERS_PER_PATCH}), ${CONCURRENCY} requests in flight.`,
      '',
      '| phase | HTTP requests | s | HTTP req/s | DynamoDB requests | DynamoDB calls | RCU (AWS) | WCU (AWS) | item writes |',
      '|---|---:|---:|---:|---:|---|---:|---:|---:|',
      ...Object.entries(phases).map(
        ([k, p]) => `| ${k} | ${p.httpRequests} | ${p.seconds} | ${p.httpRps} | ${p.dynamodbRequests} | ${Object.entries(p.dynamodbByCommand).map(([c, v]) => `${v}× ${c}`).join(', ')} | ${p.readUnitsAwsPriced} | ${p.writeUnitsAwsPriced} | ${p.itemWrites} |`,
      ),
      `| **total** | ${total.httpRequests} | ${total.wallSeconds} | | ${total.dynamodbRequests} | | ${total.readUnitsAwsPriced} | ${total.writeUnitsAwsPriced} | ${total.itemWrites} |`,
    ].join('\n');
    return {
      figures: { users: nUsers, groups: nGroups, memberships: nMemberships, membersPerPatch: MEMBERS_PER_PATCH, concurrency: CONCURRENCY, phases, total },
      markdown,
      notes: [`initialSync: local server (startLocalStack, as npm start) in its own process with DynamoDB Local in memory; ${CONCURRENCY} requests in flight from the bench process; wall time on a shared 2-core machine.`],
    };
  },
};
