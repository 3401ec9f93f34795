import { progress, summarise, type Bench, type Ops, type Sample } from '../harness';
import type { Target } from '../report';
import type { BenchScenario } from '../scenario';
import { indexedUserData, seedIndexedUsers, SEED_EPOCH } from '../../test/support/seedIndexedUsers';

/**
 * Issue 11's queries on a tenant of 100,000 users (10,000 with --quick), beside the key lookups
 * they are compared with: sortBy on each indexed attribute (first page, next page by cursor and by
 * startIndex, descending), userName/displayName sw and meta.lastModified gt as index ranges (first
 * page with its COUNT, next page), and a range with a further condition (within the bound, and a 10,000-user range streamed past it). Each figure is the median
 * over the iterations of DynamoDB requests, consumed capacity and latency for one page of 100.
 */
const PAGE = '100';

async function ensureUsers(bench: Bench, n: number): Promise<number> {
  const have = await bench.store.countResources('User');
  if (have >= n) return have;
  progress(`indexedQueries: seeding ${n - have} users (BatchWrite of items, names and instants varied)`);
  for (let i = 0; i < n - have; i += 10_000) await seedIndexedUsers(bench.doc, bench.tableName, i, Math.min(10_000, n - have - i), 'iq');
  bench.meter.reset();
  return n;
}

export const indexedQueriesScenario: BenchScenario = {
  name: 'indexedQueries',
  async run({ quick, bench }) {
    const users = await ensureUsers(bench, quick ? 10_000 : 100_000);
    const n = quick ? 5 : 20;
    const ops: Ops = {};
    const list = (query: Record<string, string>) => bench.expect(200, { method: 'GET', path: '/Users', query: { count: PAGE, ...query } });
    const measure = async (name: string, call: (i: number) => Promise<unknown>, before?: (i: number) => Promise<void>) => {
      const samples: Sample[] = [];
      for (let i = 0; i < n; i++) {
        if (before) await before(i);
        samples.push(await bench.sample(() => call(i)));
      }
      ops[name] = summarise(samples);
      progress(`${name}: ${ops[name].requests} requests, ${ops[name].readUnits} RCU, ${ops[name].medianMs} ms median`);
    };
    const cursorAfter = async (query: Record<string, string>) => String((await list({ ...query, cursor: '' })).body?.nextCursor ?? '');

    // Key lookups, for comparison.
    const names = Array.from({ length: n }, (_, i) => String(indexedUserData(i * 7).userName));
    await measure('lookup.userName eq', (i) => list({ filter: `userName eq "${names[i]}"` }));
    await measure('list.page (creation order)', () => list({ startIndex: '1' }));

    for (const sortBy of ['userName', 'displayName', 'meta.created', 'meta.lastModified']) {
      await measure(`sortBy=${sortBy} first page`, () => list({ sortBy }));
      await measure(`sortBy=${sortBy} descending`, () => list({ sortBy, sortOrder: 'descending' }));
      let cursor = '';
      await measure(`sortBy=${sortBy} next page (cursor)`, () => list({ sortBy, cursor }), async () => {
        cursor = await cursorAfter({ sortBy });
      });
      await measure(`sortBy=${sortBy} next page (startIndex=101)`, () => list({ sortBy, startIndex: '101' }), async () => {
        await list({ sortBy, startIndex: '1' });
      });
    }

    const T = new Date(SEED_EPOCH + (users - 1000) * 1000).toISOString();
    const ranges: Record<string, string> = {
      'userName sw "ab"': 'userName sw "ab"',
      'displayName sw "a"': 'displayName sw "a"',
      'meta.lastModified gt (newest 1,000)': `meta.lastModified gt "${T}"`,
    };
    for (const [label, filter] of Object.entries(ranges)) {
      await measure(`filter ${label} first page`, () => list({ filter, cursor: '' }));
      let cursor = '';
      await measure(`filter ${label} next page`, () => list({ filter, cursor }), async () => {
        cursor = await cursorAfter({ filter });
      });
    }
    await measure('filter meta.lastModified gt (newest 1,000) and active eq true', () => list({ filter: `meta.lastModified gt "${T}" and active eq true` }));
    // Past the bound (2,000): the range streams, filtered as it is read.
    const T10k = new Date(SEED_EPOCH + (users - 10_000) * 1000).toISOString();
    const wide = `meta.lastModified gt "${T10k}" and title eq "Manager"`;
    await measure('filter meta.lastModified gt (newest 10,000) and title eq, first page', () => list({ filter: wide, cursor: '' }));
    let wideCursor = '';
    await measure('filter meta.lastModified gt (newest 10,000) and title eq, next page', () => list({ filter: wide, cursor: wideCursor }), async () => {
      wideCursor = await cursorAfter({ filter: wide });
    });

    const nextPages = Object.entries(ops).filter(([k]) => k.includes('next page'));
    const worstNext = Math.max(...nextPages.map(([, o]) => o.requests));
    const scans = Object.values(ops).reduce((s, o) => s + (o.byCommand.ScanCommand ?? 0), 0);
    const targets: Record<string, Target> = {
      'indexedQueries.nextPage': {
        target: `every next page of an indexed sort or range costs at most 4 DynamoDB requests on ${users} users`,
        measured: `${worstNext} requests (worst median)`,
        pass: worstNext <= 4,
      },
      'indexedQueries.noScan': { target: 'no Scan', measured: `${scans} Scans`, pass: scans === 0 },
    };
    const markdown = [
      `Indexed queries on ${users} users (pages of ${PAGE}; medians of ${n}):`,
      '',
      '| query | requests | by command | RCU | median ms | p90 ms |',
      '|---|---|---|---|---|---|',
      ...Object.entries(ops).map(([k, o]) => `| ${k.replace(/\|/g, '\\|')} | ${o.requests} | ${Object.entries(o.byCommand).map(([c, x]) => `${c.replace('Command', '')} ${x}`).join(', ')} | ${o.readUnits} | ${o.medianMs} | ${o.p90Ms} |`),
    ].join('\n');
    return {
      figures: { users, pageSize: Number(PAGE), iterations: n, operations: ops },
      targets,
      notes: [
        'indexedQueries: users seeded with BatchWrite of resource items (names scrambled against creation order, every tenth without displayName, one second between lastModified values) plus the User counter; the first page of a range includes its keys-only COUNT, later pages carry the count in the cursor.',
      ],
      markdown,
    };
  },
};
