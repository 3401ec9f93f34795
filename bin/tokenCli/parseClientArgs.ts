import { parseArgs } from 'node:util';
import { CLIENT_ID_PATTERN, SECRET_ID_PATTERN } from '../../lambdas/auth/oauth/oauthClient';
import type { Scope } from '../../lambdas/auth/scopes';
import { isValidTenant } from '../../lambdas/auth/token';
import { parseDuration } from './parseDuration';
import { parseScopes, type SecretLocation } from './parseTokenArgs';
import { UsageError } from './UsageError';

/** The `client` subcommands. */
export const CLIENT_COMMANDS = ['create', 'add-secret', 'revoke-secret', 'list', 'revoke'] as const;

/** One `client` subcommand. */
export type ClientCommandName = (typeof CLIENT_COMMANDS)[number];

/** A parsed `client ...` command line. */
export interface ClientArgs {
  readonly command: ClientCommandName;
  readonly tenant: string;
  readonly location: SecretLocation;
  readonly label?: string;
  readonly scopes?: Scope[];
  readonly expiresInMs?: number;
  readonly clientId?: string;
  readonly secretId?: string;
  readonly force: boolean;
  readonly region?: string;
}

/** The usage text of `client`. */
export const CLIENT_USAGE = `usage: npm run token -- client <create|add-secret|revoke-secret|list|revoke> --tenant <name> [options]

  create         create an OAuth client (client credentials) and its first secret (printed once)
  add-secret     add a secret to --client-id (rotation: the others stay valid)
  revoke-secret  revoke --secret-id of --client-id (refuses the last active one unless --force)
  list           show clients, scopes and their secrets' ids and states (never secrets or hashes)
  revoke         revoke --client-id: no new tokens, and its access tokens stop working

options:
  --tenant <name>          tenant; the stack is Scim-<tenant>
  --label <text>           label shown by list (create)
  --scope <read|write|read,write>  the client's scopes (create); default: read,write
  --expires-in <duration>  lifetime of the new secret, e.g. 90d, 1y (create, add-secret); default: none
  --client-id <cli_...>    the client (add-secret, revoke-secret, revoke)
  --secret-id <sec_...>    the secret (revoke-secret)
  --secret-arn <arn>       use this secret instead of the stack's SecretArn output
  --local <dataDir>        use <dataDir>/tokens.json (the local dev server)
  --region <region>        AWS region; default: the SDK's default chain
  --force                  revoke even the last active secret`;

/** Parses the arguments after `client`; throws UsageError with a readable message. */
export function parseClientArgs(argv: string[]): ClientArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: 'string' },
        label: { type: 'string' },
        scope: { type: 'string' },
        'expires-in': { type: 'string' },
        'client-id': { type: 'string' },
        'secret-id': { type: 'string' },
        'secret-arn': { type: 'string' },
        local: { type: 'string' },
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
  if (positionals.length !== 1) throw new UsageError(`expected one client command (${CLIENT_COMMANDS.join(', ')})`);
  const command = positionals[0] as ClientCommandName;
  if (!CLIENT_COMMANDS.includes(command)) throw new UsageError(`unknown client command "${positionals[0]}"; expected ${CLIENT_COMMANDS.join(', ')}`);
  if (!values.tenant) throw new UsageError('--tenant is required');
  if (!isValidTenant(values.tenant)) throw new UsageError(`--tenant: "${values.tenant}" is not a tenant name ([a-z0-9-]{1,40})`);
  if (values['secret-arn'] && values.local) throw new UsageError('--secret-arn and --local are exclusive');
  const needsClient = command === 'add-secret' || command === 'revoke-secret' || command === 'revoke';
  if (needsClient && !values['client-id']) throw new UsageError(`${command} needs --client-id <cli_...> (see client list)`);
  if (!needsClient && values['client-id'] !== undefined) throw new UsageError(`--client-id does not apply to ${command}`);
  if (values['client-id'] !== undefined && !CLIENT_ID_PATTERN.test(values['client-id'])) throw new UsageError(`--client-id: "${values['client-id']}" is not a client id (cli_ + 16 hex digits)`);
  if (command === 'revoke-secret' && !values['secret-id']) throw new UsageError('revoke-secret needs --secret-id <sec_...> (see client list)');
  if (command !== 'revoke-secret' && values['secret-id'] !== undefined) throw new UsageError('--secret-id applies to revoke-secret only');
  if (values['secret-id'] !== undefined && !SECRET_ID_PATTERN.test(values['secret-id'])) throw new UsageError(`--secret-id: "${values['secret-id']}" is not a secret id (sec_ + 12 hex digits)`);
  if (command !== 'create' && (values.label !== undefined || values.scope !== undefined)) throw new UsageError('--label and --scope apply to create only');
  if (command !== 'create' && command !== 'add-secret' && values['expires-in'] !== undefined) throw new UsageError('--expires-in applies to create and add-secret only');
  if (command !== 'revoke-secret' && values.force) throw new UsageError('--force applies to revoke-secret only');
  if (values.label !== undefined && values.label.length > 200) throw new UsageError('--label: at most 200 characters');
  const location: SecretLocation = values.local
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
    ...(values.scope !== undefined ? { scopes: parseScopes(values.scope) } : {}),
    ...(values['expires-in'] !== undefined ? { expiresInMs: parseDuration(values['expires-in']) } : {}),
    ...(values['client-id'] !== undefined ? { clientId: values['client-id'] } : {}),
    ...(values['secret-id'] !== undefined ? { secretId: values['secret-id'] } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
  };
}
