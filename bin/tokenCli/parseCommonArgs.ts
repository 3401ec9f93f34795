import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isValidTenant } from '../../lambdas/auth/token';
import { UsageError } from './UsageError';

/** Where the credentials are: a stack's outputs, an explicit ARN, a local data dir, or a pooled stack's management API. */
export type SecretLocation = { kind: 'stack' } | { kind: 'arn'; secretArn: string } | { kind: 'local'; dataDir: string } | { kind: 'pool'; endpoint: string };

/** The options every token CLI command takes (static tokens and OAuth clients alike). */
const COMMON_OPTIONS = {
  tenant: { type: 'string' },
  'secret-arn': { type: 'string' },
  local: { type: 'string' },
  pool: { type: 'string' },
  region: { type: 'string' },
  label: { type: 'string' },
  scope: { type: 'string' },
  'expires-in': { type: 'string' },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** What every command line has once parsed: the one command, the tenant, where its credentials are. */
export interface CommonArgs<C extends string> {
  readonly command: C;
  readonly tenant: string;
  readonly location: SecretLocation;
  readonly region?: string;
  /** Every option's value, for the command's own checks. */
  readonly values: Record<string, string | boolean | undefined>;
}

/**
 * The one parser of the token CLI (`npm run token -- <command>` and `npm run token -- client
 * <command>`): strict node:util parseArgs over the common options plus `extra`, one command out of
 * `commands`, a valid `--tenant`, at most one of `--secret-arn`, `--local`, `--pool`, and a URL
 * for `--pool`. Throws UsageError with a readable message (empty for --help).
 */
export function parseCommonArgs<C extends string>(argv: string[], commands: readonly C[], extra: ParseArgsConfig['options'], what = 'command'): CommonArgs<C> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, ...extra } });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const { positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError(`expected one ${what} (${commands.join(', ')}), got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const command = positionals[0] as C;
  if (!commands.includes(command)) throw new UsageError(`unknown ${what} "${positionals[0]}"; expected ${commands.join(', ')}`);
  const tenant = values.tenant as string | undefined;
  if (!tenant) throw new UsageError('--tenant is required');
  if (!isValidTenant(tenant)) throw new UsageError(`--tenant: "${tenant}" is not a tenant name ([a-z0-9-]{1,40})`);
  const pool = values.pool as string | undefined;
  const local = values.local as string | undefined;
  const secretArn = values['secret-arn'] as string | undefined;
  if ([secretArn, local, pool].filter((v) => v !== undefined).length > 1) throw new UsageError('--secret-arn, --local and --pool are exclusive');
  if (pool !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(pool)) throw new UsageError(`--pool: "${pool}" is not a URL (the stack's PoolBaseUrl output)`);
  if (typeof values.label === 'string' && values.label.length > 200) throw new UsageError('--label: at most 200 characters');
  const location: SecretLocation = pool
    ? { kind: 'pool', endpoint: pool }
    : local
      ? { kind: 'local', dataDir: local }
      : secretArn
        ? { kind: 'arn', secretArn }
        : { kind: 'stack' };
  return { command, tenant, location, values, ...(typeof values.region === 'string' ? { region: values.region } : {}) };
}
