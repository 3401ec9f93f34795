import { summarise, progress, type Bench, type OperationResult, type Sample } from '../harness';
import { GROUP_SCHEMA, memberRefs, patchOps } from './data';
import { fillGroup } from './seed';

/** One group size of the scaling run. */
export interface ScalingPoint extends OperationResult {
  /** Members the group held before the measured PATCHes. */
  readonly groupSize: number;
  readonly membersPerPatch: number;
  /** writeUnits / membersPerPatch (as DynamoDB Local reports, and as AWS prices it). */
  readonly writeUnitsPerMember: number;
  readonly writeUnitsAwsPricedPerMember: number;
  readonly itemWritesPerMember: number;
  /** Seconds it took to build the group to groupSize (setup). */
  readonly buildSeconds: number;
}

const PER_PATCH = 100;
const ADDED = 1000;

/**
 * Adds 1,000 members, in PATCHes of 100 (Entra's batch), to groups already holding each of `sizes`
 * members. `users` must hold at least max(sizes) + 1,000 existing user ids. Returns the points and
 * the id of the largest group (kept for the excludedAttributes=members read).
 */
export async function addMembersScaling(bench: Bench, sizes: number[], users: string[]): Promise<{ points: Record<string, ScalingPoint>; largest: string }> {
  const points: Record<string, ScalingPoint> = {};
  let largest = '';
  for (const size of sizes) {
    if (users.length < size + ADDED) throw new Error(`scaling at ${size} needs ${size + ADDED} users, got ${users.length}`);
    const created = await bench.expect(201, { method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA], displayName: `Scale ${size}` } });
    const id = String(created.body?.id);
    const started = Date.now();
    progress(`scaling: building a group of ${size} members`);
    await fillGroup(bench, id, users.slice(0, size));
    const buildSeconds = (Date.now() - started) / 1000;
    progress(`scaling: group of ${size} built in ${buildSeconds.toFixed(1)} s; adding ${ADDED} in PATCHes of ${PER_PATCH}`);
    const samples: Sample[] = [];
    for (let from = size; from < size + ADDED; from += PER_PATCH) {
      const ids = users.slice(from, from + PER_PATCH);
      samples.push(
        await bench.sample(() => bench.expect(204, { method: 'PATCH', path: `/Groups/${id}`, body: patchOps({ op: 'add', path: 'members', value: memberRefs(ids) }) })),
      );
    }
    const count = await bench.store.getGroup(id);
    if (count?.memberCount !== undefined && count.memberCount !== size + ADDED) throw new Error(`group ${size} holds ${count.memberCount} members, expected ${size + ADDED}`);
    const s = summarise(samples);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    points[String(size)] = {
      groupSize: size,
      membersPerPatch: PER_PATCH,
      ...s,
      writeUnitsPerMember: r3(s.writeUnits / PER_PATCH),
      writeUnitsAwsPricedPerMember: r3(s.writeUnitsAwsPriced / PER_PATCH),
      itemWritesPerMember: r3(s.itemWrites / PER_PATCH),
      buildSeconds: Math.round(buildSeconds * 10) / 10,
    };
    progress(`scaling ${size}: ${s.requests} requests, ${points[String(size)].writeUnitsAwsPricedPerMember} WCU (AWS) per member, ${s.medianMs} ms per PATCH`);
    largest = id;
  }
  return { points, largest };
}

/** GET /Groups/{id}?excludedAttributes=members on the largest group, `n` times. */
export async function largeGroupRead(bench: Bench, groupId: string, n: number): Promise<OperationResult & { groupSize: number }> {
  const samples: Sample[] = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    samples.push(
      await bench.sample(async () => {
        const r = await bench.expect(200, { method: 'GET', path: `/Groups/${groupId}`, query: { excludedAttributes: 'members' } });
        if (r.body?.members !== undefined) throw new Error('excludedAttributes=members returned members');
      }),
    );
  }
  size = (await bench.store.getGroup(groupId))?.memberCount ?? 0;
  const result = { ...summarise(samples), groupSize: size };
  progress(`group.get.excludeMembers on ${size} members: ${result.requests} requests`);
  return result;
}
