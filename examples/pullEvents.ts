/**
 * A small consumer of GET /events: polls the tenant's change events and prints them, remembering
 * its position in a file so a restart resumes where it stopped (nothing skipped, nothing lost).
 * An event may arrive twice (at-least-once delivery): it keeps the last ids it saw and skips repeats.
 *
 *   SCIM_EVENTS_URL=https://<api>/prod/events SCIM_EVENTS_TOKEN=scim_acme_... npx tsx examples/pullEvents.ts
 *   (locally: SCIM_EVENTS_URL=http://127.0.0.1:8080/events and a token from
 *    npm run token -- create --local .local --tenant local --label app --scope events)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const url = process.env.SCIM_EVENTS_URL;
const token = process.env.SCIM_EVENTS_TOKEN;
const positionFile = process.env.SCIM_EVENTS_POSITION ?? '.events-position';
if (!url || !token) {
  process.stderr.write('set SCIM_EVENTS_URL and SCIM_EVENTS_TOKEN (a token with scope events:read)\n');
  process.exit(1);
}

interface ChangeEvent {
  id: string;
  type: string;
  resourceType: string;
  resourceId: string;
  version: number;
  time: string;
}

const seen = new Set<string>();
let after = existsSync(positionFile) ? readFileSync(positionFile, 'utf8').trim() : '';

for (;;) {
  const res = await fetch(`${url}?limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) {
    process.stderr.write(`GET /events answered ${res.status}: ${await res.text()}\n`);
    await new Promise((r) => setTimeout(r, 10_000));
    continue;
  }
  const page = (await res.json()) as { events: ChangeEvent[]; next: string };
  for (const e of page.events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    // Your app's work goes here: e.g. revoke sessions on user.deactivated / user.deleted.
    process.stdout.write(`${e.time} ${e.type} ${e.resourceType}/${e.resourceId} v${e.version}\n`);
  }
  if (seen.size > 10_000) seen.clear();
  after = page.next;
  writeFileSync(positionFile, after);
  // A full page means more is waiting; otherwise poll again in a few seconds.
  if (page.events.length < 500) await new Promise((r) => setTimeout(r, 5_000));
}
