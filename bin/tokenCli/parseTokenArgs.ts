import type { Scope } from '../../lambdas/auth/scopes';
import { parseCommonArgs, type SecretLocation } from './parseCommonArgs';
import { parseDuration } from './parseDuration';
import { UsageError } from './UsageError';

/** The CLI's subcommands. */
export const COMMANDS = ['create', 'rotate', 'revoke', 'list'] as const;

/** One CLI subcommand. */
export type TokenCommandName = (typeof COMMANDS)[number];

export type { SecretLocation } from './parseCommonArgs';

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
  const { command, tenant, location, region, values } = parseCommonArgs(argv, COMMANDS, { id: { type: 'string' } });
  const id = values.id as string | undefined;
  if (command === 'revoke' && !id) throw new UsageError('revoke needs --id <tok_...> (see list)');
  if (id !== undefined && !/^tok_[0-9a-f]{12}$/.test(id)) throw new UsageError(`--id: "${id}" is not a token id (tok_ + 12 hex digits)`);
  const writes = command === 'create' || command === 'rotate';
  for (const opt of ['label', 'expires-in', 'scope'] as const) {
    if (!writes && values[opt] !== undefined) throw new UsageError(`--${opt} applies to create and rotate only`);
  }
  if (command !== 'revoke' && values.force) throw new UsageError('--force applies to revoke only');
  if (command === 'create' && id) throw new UsageError('--id applies to rotate and revoke only (create makes a new id)');
  if (command === 'list' && id) throw new UsageError('--id does not apply to list');
  const label = values.label as string | undefined;
  const expiresIn = values['expires-in'] as string | undefined;
  const scope = values.scope as string | undefined;
  return {
    command,
    tenant,
    location,
    force: values.force === true,
    ...(label !== undefined ? { label } : {}),
    ...(expiresIn !== undefined ? { expiresInMs: parseDuration(expiresIn) } : {}),
    ...(scope !== undefined ? { scopes: parseScopes(scope) } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}
