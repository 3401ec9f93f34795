import { parseArgs } from 'node:util';
import { ScimStore, createDynamoClients, type ResourceType, type ScimStoreOptions } from '../../lambdas/store';

/** How the CLI is called (README, docs/runbooks/upgrade.md). */
export const BACKFILL_USAGE = `Usage: npm run backfill-indexes -- --table <table name> [--region <region>] [--endpoint <url>] [--page-size <n>]

Gives every User and Group item written before the sorted indexes existed the attributes GSI3-5
are keyed on, so that DynamoDB builds those indexes complete. Idempotent: run it again after an
interruption. It uses your AWS credentials (dynamodb:Query on GSI2 and dynamodb:UpdateItem on the
table); --endpoint points it at DynamoDB Local.
`;

/** Where the CLI writes. */
export interface BackfillIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Injectable for tests (DynamoDB Local); built from --endpoint/--region otherwise. */
  readonly doc?: ScimStoreOptions['doc'];
}

/** Runs the backfill CLI; returns the exit code (0 done, 1 failed, 2 bad arguments). */
export async function runBackfill(argv: readonly string[], io: BackfillIo): Promise<number> {
  let values: { table?: string; region?: string; endpoint?: string; 'page-size'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { table: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' }, 'page-size': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${BACKFILL_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(BACKFILL_USAGE);
    return 0;
  }
  const pageSize = values['page-size'] === undefined ? 100 : Number(values['page-size']);
  if (!values.table || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    io.err(`${values.table ? '--page-size must be an integer from 1 to 1000' : '--table is required'}\n\n${BACKFILL_USAGE}`);
    return 2;
  }
  const doc = io.doc ?? createDynamoClients({ endpoint: values.endpoint, region: values.region }).doc;
  const store = new ScimStore({ doc, tableName: values.table });
  try {
    for (const type of ['User', 'Group'] as ResourceType[]) {
      let scanned = 0;
      let updated = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const step = await store.backfillSortedIndexes(type, { startKey, pageSize });
        scanned += step.scanned;
        updated += step.updated;
        startKey = step.nextKey;
        if (scanned % (pageSize * 50) < pageSize) io.err(`${type}: ${scanned} read, ${updated} updated\n`);
      } while (startKey);
      io.out(`${JSON.stringify({ resourceType: type, scanned, updated })}\n`);
    }
    return 0;
  } catch (e) {
    io.err(`backfill failed: ${(e as Error).message}; run it again (it is idempotent)\n`);
    return 1;
  }
}
