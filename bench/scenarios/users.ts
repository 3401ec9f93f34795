import { operationRunner, progress, summarise, type Bench, type Ops, type Sample } from '../harness';
import { patchOps, userBody } from './data';

/**
 * Every /Users operation through the Users handler, `n` iterations each, on users created by the
 * benchmark itself (no group memberships): create, get, the three indexed filters, PATCH, PUT,
 * deactivate, delete.
 */
export async function userOperations(bench: Bench, n: number): Promise<Ops> {
  const ops: Ops = {};
  const run = operationRunner(bench, n, ops);
  const ids: string[] = [];
  const filter = (expression: string) =>
    bench.expect(200, { method: 'GET', path: '/Users', query: { filter: expression } }).then((r) => {
      if (r.body?.totalResults !== 1) throw new Error(`filter ${expression} found ${String(r.body?.totalResults)} users, expected 1`);
    });

  await run('user.create', async (i) => {
    const reply = await bench.expect(201, { method: 'POST', path: '/Users', body: userBody('ops', i) });
    ids[i] = String(reply.body?.id);
  });
  await run('user.get', (i) => bench.expect(200, { method: 'GET', path: `/Users/${ids[i]}` }));
  await run('user.get.excludeGroups', (i) => bench.expect(200, { method: 'GET', path: `/Users/${ids[i]}`, query: { excludedAttributes: 'groups' } }));
  await run('user.filter.userName', (i) => filter(`userName eq "${String(userBody('ops', i).userName)}"`));
  await run('user.filter.externalId', (i) => filter(`externalId eq "${String(userBody('ops', i).externalId)}"`));
  await run('user.filter.email', (i) => filter(`emails[type eq "work"].value eq "ops.${i}@mail.bench.example.com"`));
  await run('user.patch', (i) =>
    bench.expect(200, { method: 'PATCH', path: `/Users/${ids[i]}`, body: patchOps({ op: 'Replace', path: 'title', value: `Engineer ${i}` }) }),
  );
  await run('user.put', (i) =>
    bench.expect(200, { method: 'PUT', path: `/Users/${ids[i]}`, body: userBody('ops', i, { displayName: `Renamed ${i}`, title: 'Engineer' }) }),
  );
  // Entra's soft delete: the string "False" (docs/idp-quirks.md).
  await run('user.deactivate', (i) =>
    bench.expect(200, { method: 'PATCH', path: `/Users/${ids[i]}`, body: patchOps({ op: 'Replace', path: 'active', value: 'False' }) }),
  );
  await run('user.delete', (i) => bench.expect(204, { method: 'DELETE', path: `/Users/${ids[i]}` }));
  return ops;
}

/**
 * Listing over the seeded users: sequential `startIndex` pages of 100 (first and last page kept
 * apart, to show a page's cost does not grow with startIndex) and RFC 9865 cursor pages of 100.
 */
export async function userListing(bench: Bench, sweeps: number): Promise<Ops> {
  const pages: Sample[] = [];
  const first: Sample[] = [];
  const last: Sample[] = [];
  const cursorPages: Sample[] = [];
  const excludeGroups: Sample[] = [];
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let total = Infinity;
    const sweepSamples: Sample[] = [];
    for (let start = 1; start <= total; start += 100) {
      let got = 0;
      const s = await bench.sample(async () => {
        const r = await bench.expect(200, { method: 'GET', path: '/Users', query: { startIndex: String(start), count: '100' } });
        total = Number(r.body?.totalResults);
        got = (r.body?.Resources as unknown[] | undefined)?.length ?? 0;
      });
      if (got === 0) throw new Error(`page at startIndex ${start} of ${total} came back empty`);
      sweepSamples.push(s);
    }
    pages.push(...sweepSamples);
    first.push(sweepSamples[0]);
    last.push(sweepSamples[sweepSamples.length - 1]);
    for (let start = 1; start <= total; start += 100) {
      excludeGroups.push(
        await bench.sample(() => bench.expect(200, { method: 'GET', path: '/Users', query: { startIndex: String(start), count: '100', excludedAttributes: 'groups' } })),
      );
    }
    let cursor: string | undefined = '';
    let seen = 0;
    while (cursor !== undefined) {
      const current: string = cursor;
      cursorPages.push(
        await bench.sample(async () => {
          const r = await bench.expect(200, { method: 'GET', path: '/Users', query: { cursor: current, count: '100' } });
          seen += (r.body?.Resources as unknown[] | undefined)?.length ?? 0;
          cursor = typeof r.body?.nextCursor === 'string' && r.body.nextCursor !== '' ? r.body.nextCursor : undefined;
        }),
      );
      if (cursorPages.length > 10_000) throw new Error('cursor paging does not end');
    }
    if (seen !== total) throw new Error(`cursor paging returned ${seen} users of ${total}`);
    progress(`user.list sweep ${sweep + 1}/${sweeps}: ${sweepSamples.length} startIndex pages, cursor pages, over ${total} users`);
  }
  return {
    'user.list.page': summarise(pages),
    'user.list.page.first': summarise(first),
    'user.list.page.last': summarise(last),
    'user.list.page.excludeGroups': summarise(excludeGroups),
    'user.list.cursor': summarise(cursorPages),
  };
}
