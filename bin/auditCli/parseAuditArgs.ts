import { parseArgs } from 'node:util';
import { UsageError } from '../tokenCli/UsageError';

/** The command line of `npm run audit`. */
export const USAGE = `usage: npm run audit -- --tenant <name> [--since 7d] [--user <id>] [--json]
         [--local [<dataDir>]] [--pool] [--table <name>] [--endpoint <url>] [--region <region>]

Prints the tenant's audit trail (who, what, when, from where), oldest first.
  --since     how far back: 30m, 12h, 7d, 2w (default 7d; the trail keeps 400 days)
  --user      one user's or group's changes, and the membership changes naming it
  --json      one JSON object per line instead of text
  --local     the trail npm start keeps (default data dir .local); with --pool, npm start -- --pool's
  --pool      the table is pooled: read the tenant's own key space only
  --table     the table name (default: the stack's TableName output, or the local table)
  --endpoint  a DynamoDB endpoint (DynamoDB Local)
`;

/** Parsed arguments of `npm run audit`. */
export interface AuditArgs {
  readonly tenant: string;
  readonly sinceMs: number;
  readonly user?: string;
  readonly json: boolean;
  /** The local data dir, when reading npm start's trail. */
  readonly local?: string;
  readonly pool: boolean;
  readonly table?: string;
  readonly endpoint?: string;
  readonly region?: string;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `npm run audit -- ...`; throws UsageError on anything it does not understand. */
export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  // `--local` may stand alone (default data dir) or take a directory.
  const args = [...argv];
  const at = args.indexOf('--local');
  if (at >= 0 && (at === args.length - 1 || args[at + 1].startsWith('--'))) args.splice(at + 1, 0, '.local');
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        since: { type: 'string', default: '7d' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
        local: { type: 'string' },
        pool: { type: 'boolean', default: false },
        table: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (!values.tenant || !/^[a-z0-9-]{1,40}$/.test(values.tenant)) throw new UsageError('--tenant <name> is required (lowercase letters, digits, hyphens)');
  const m = /^(\d{1,6})([mhdw])$/.exec(values.since.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`--since: expected a duration like 30m, 12h, 7d or 2w, got "${values.since}"`);
  if (values.user !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(values.user)) throw new UsageError('--user: expected a resource id');
  return {
    tenant: values.tenant,
    sinceMs: Number(m[1]) * UNIT_MS[m[2]],
    ...(values.user ? { user: values.user } : {}),
    json: values.json,
    ...(values.local !== undefined ? { local: values.local } : {}),
    pool: values.pool,
    ...(values.table ? { table: values.table } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.region ? { region: values.region } : {}),
  };
}
