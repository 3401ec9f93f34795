import { parseArgs } from 'node:util';
import type { Scope } from '../../lambdas/auth/scopes';
import { isValidTenant } from '../../lambdas/auth/token';
import { parseDuration } from './parseDuration';
import { UsageError } from './UsageError';

/** The CLI's subcommands. */
export const COMMANDS = ['create', 'rotate', 'revoke', 'list'] as const;

/** One CLI subcommand. */
export type TokenCommandName = (typeof COMMANDS)[number];

/** Where the tokens are: a stack's outputs, an explicit ARN, a local data dir, or a pooled stack's management API. */
export type SecretLocation = { kind: 'stack' } | { kind: 'arn'; secretArn: string } | { kind: 'local'; dataDir: string } | { kind: 'pool'; endpoint: string };

/** A parsed, validated command line. */
export interface TokenArgs {
  readonly command: TokenCommandName;
  readonly tenant: string;
  readonly location: SecretLocation;
  readonly label?: string;
  readonly expiresInMs?: number;
  readonly scopes?: Scope[];
  readonly id?: string;
  readonly force: boolean;
  readonly region?: string;
}

/** The usage text. */
export const USAGE = `usage: npm run token -- <create|rotate|revoke|list> --tenant <name> [options]

  create   issue a token (printed once) with the tenant's SCIM base URL
  rotate   issue a successor of --id (same label and scopes unless given); the old stays valid
  revoke   revoke --id (refuses the last active token unless --force)
  list     show ids, labels, scopes, dates and status (never tokens or hashes)
  client   manage OAuth clients: npm run token -- client --help

options:
  --tenant <name>          tenant ([a-z0-9-]{1,40}); the stack is Scim-<tenant>
  --label <text>           label shown by list (create, rotate)
  --expires-in <duration>  e.g. 90d, 12h, 2w, 1y (create, rotate); default: no expiry
  --scope <read|write|read,write|events>  default: read,write; events: GET /events only (the vendor's app)
  --id <tok_...>           the token to revoke or rotate
  --secret-arn <arn>       use this secret instead of the stack's SecretArn output
  --local <dataDir>        use <dataDir>/tokens.json (the local dev server)
  --pool <stage URL>       a pooled stack's management API (its PoolBaseUrl output; needs --region;
                           signs with your AWS credentials). create enables a tenant not yet enabled
  --region <region>        AWS region; default: the SDK's default chain
  --force                  revoke even the last active token`;

/** Parses `read`, `write`, `read,write` (also with the `scim:` prefix) or `events` (`events:read`). */
export function parseScopes(text: string): Scope[] {
  const scopes = new Set<Scope>();
  for (const part of text.split(',').map((s) => s.trim().replace(/^scim:/, ''))) {
    if (part === 'read') scopes.add('scim:read');
    else if (part === 'write') scopes.add('scim:write');
    else if (part === 'events' || part === 'events:read') scopes.add('events:read');
    else throw new UsageError(`--scope: expected read, write, read,write or events, got "${text}"`);
  }
  if (scopes.has('events:read') && scopes.size > 1) throw new UsageError('--scope: events cannot be combined with read or write; issue a separate token for the app');
  return [...scopes];
}

/** Parses the CLI's arguments (after `--`); throws UsageError with a readable message. */
export function parseTokenArgs(argv: string[]): TokenArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: 'string' },
        label: { type: 'string' },
        'expires-in': { type: 'string' },
        scope: { type: 'string' },
        id: { type: 'string' },
        'secret-arn': { type: 'string' },
        local: { type: 'string' },
        pool: { type: 'string' },
        region: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError(`expected one command (${COMMANDS.join(', ')}), got ${positionals.length ? positionals.join(' ') : 'none'}`);
  const command = positionals[0] as TokenCommandName;
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${positionals[0]}"; expected ${COMMANDS.join(', ')}`);
  if (!values.tenant) throw new UsageError('--tenant is required');
  if (!isValidTenant(values.tenant)) throw new UsageError(`--tenant: "${values.tenant}" is not a tenant name ([a-z0-9-]{1,40})`);
  if ([values['secret-arn'], values.local, values.pool].filter((v) => v !== undefined).length > 1) throw new UsageError('--secret-arn, --local and --pool are exclusive');
  if (values.pool !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(values.pool)) throw new UsageError(`--pool: "${values.pool}" is not a URL (the stack's PoolBaseUrl output)`);
  if (command === 'revoke' && !values.id) throw new UsageError('revoke needs --id <tok_...> (see list)');
  if (values.id !== undefined && !/^tok_[0-9a-f]{12}$/.test(values.id)) throw new UsageError(`--id: "${values.id}" is not a token id (tok_ + 12 hex digits)`);
  const writes = command === 'create' || command === 'rotate';
  for (const opt of ['label', 'expires-in', 'scope'] as const) {
    if (!writes && values[opt] !== undefined) throw new UsageError(`--${opt} applies to create and rotate only`);
  }
  if (command !== 'revoke' && values.force) throw new UsageError('--force applies to revoke only');
  if (command === 'create' && values.id) throw new UsageError('--id applies to rotate and revoke only (create makes a new id)');
  if (command === 'list' && values.id) throw new UsageError('--id does not apply to list');
  if (values.label !== undefined && values.label.length > 200) throw new UsageError('--label: at most 200 characters');

  const location: SecretLocation = values.pool
    ? { kind: 'pool', endpoint: values.pool }
    : values.local
    ? { kind: 'local', dataDir: values.local }
    : values['secret-arn']
      ? { kind: 'arn', secretArn: values['secret-arn'] }
      : { kind: 'stack' };
  return {
    command,
    tenant: values.tenant,
    location,
    force: values.force ?? false,
    ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values['expires-in'] !== undefined ? { expiresInMs: parseDuration(values['expires-in']) } : {}),
    ...(values.scope !== undefined ? { scopes: parseScopes(values.scope) } : {}),
    ...(values.id !== undefined ? { id: values.id } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
  };
}
