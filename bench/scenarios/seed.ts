import type { Bench } from '../harness';
import { pool, progress } from '../harness';
import { USER_SCHEMA } from './data';
import { seedUserItems as writeUserItems } from '../../test/support/seedUserItems';

/**
 * Creates `count` users through the store (setup, not measured), `concurrency` at a time, and
 * returns their ids in order. Each is a real user (resource item, userName marker, counter), so the
 * store's existence checks on members see them; only userName, to keep seeding quick.
 */
export async function seedUsers(bench: Bench, tag: string, from: number, count: number, concurrency = 24): Promise<string[]> {
  const started = Date.now();
  let done = 0;
  const indices = Array.from({ length: count }, (_, k) => from + k);
  const ids = await pool(indices, concurrency, async (i) => {
    const user = await bench.store.createUser({
      schemas: [USER_SCHEMA],
      userName: `${tag}.${i}@seed.example.com`,
      active: true,
    });
    done += 1;
    if (done % 5000 === 0) progress(`  seeded ${done}/${count} users (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return user.id;
  });
  bench.meter.reset();
  return ids;
}

/** Chunks of fillGroup retried after the store gave up on contention (reported in latest.json notes). */
export const fillRetries = { count: 0 };

/**
 * Adds members to a group through the real store API (`updateGroup` add), in chunks that fit one
 * transaction, `concurrency` chunks at a time (setup, not measured).
 */
export async function fillGroup(bench: Bench, groupId: string, memberIds: string[], chunk = 98, concurrency = 4): Promise<void> {
  const started = Date.now();
  const chunks: string[][] = [];
  for (let i = 0; i < memberIds.length; i += chunk) chunks.push(memberIds.slice(i, i + chunk));
  let done = 0;
  await pool(chunks, concurrency, async (ids) => {
    // Concurrent chunks on one group contend for its version: when the store gives up after its own
    // retries (StoreThrottledError), retry the chunk; adding members is idempotent.
    for (let attempt = 1; ; attempt++) {
      try {
        await bench.store.updateGroup(groupId, { add: ids.map((value) => ({ value, type: 'User' as const })) });
        break;
      } catch (e) {
        if (!(e instanceof Error && e.name === 'StoreThrottledError') || attempt >= 20) throw e;
        fillRetries.count += 1;
        await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
      }
    }
    done += ids.length;
    if (memberIds.length >= 10_000 && done % 10_000 < chunk) progress(`  group ${groupId.slice(0, 8)}: ${done}/${memberIds.length} members (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });
  bench.meter.reset();
}

/**
 * Fast seeding for the scaling run's members: writes `count` user resource items with BatchWrite
 * through the store's own item mapping (as test/store/scale.test.ts does), without uniqueness
 * markers or counter. The store's member existence check reads exactly these items. Used by
 * `--quick` (DynamoDB Local serialises transactions: store.createUser runs at ~140 users/s there,
 * too slow for a two-minute run); the full run uses {@link seedUsers}.
 */
export async function seedUserItems(bench: Bench, tag: string, from: number, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, k) => `${tag}-${String(from + k).padStart(7, '0')}`);
  await writeUserItems(bench.doc, bench.tableName, ids, (id) => ({ schemas: [USER_SCHEMA], userName: `${id}@seed.example.com`, active: true }));
  bench.meter.reset();
  return ids;
}
