import { CLIENT_ID_PATTERN, SECRET_ID_PATTERN } from '../../lambdas/auth/oauth/oauthClient';
import type { Scope } from '../../lambdas/auth/scopes';
import { parseCommonArgs, type SecretLocation } from './parseCommonArgs';
import { parseDuration } from './parseDuration';
import { parseScopes } from './parseTokenArgs';
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
  --pool <stage URL>       a pooled stack's management API (its PoolBaseUrl output; needs --region;
                           signs with your AWS credentials). create turns OAuth on for the tenant if off
  --region <region>        AWS region; default: the SDK's default chain
  --force                  revoke even the last active secret`;

/** Parses the arguments after `client`; throws UsageError with a readable message. */
export function parseClientArgs(argv: string[]): ClientArgs {
  const { command, tenant, location, region, values } = parseCommonArgs(argv, CLIENT_COMMANDS, { 'client-id': { type: 'string' }, 'secret-id': { type: 'string' } }, 'client command');
  const clientId = values['client-id'] as string | undefined;
  const secretId = values['secret-id'] as string | undefined;
  const needsClient = command === 'add-secret' || command === 'revoke-secret' || command === 'revoke';
  if (needsClient && !clientId) throw new UsageError(`${command} needs --client-id <cli_...> (see client list)`);
  if (!needsClient && clientId !== undefined) throw new UsageError(`--client-id does not apply to ${command}`);
  if (clientId !== undefined && !CLIENT_ID_PATTERN.test(clientId)) throw new UsageError(`--client-id: "${clientId}" is not a client id (cli_ + 16 hex digits)`);
  if (command === 'revoke-secret' && !secretId) throw new UsageError('revoke-secret needs --secret-id <sec_...> (see client list)');
  if (command !== 'revoke-secret' && secretId !== undefined) throw new UsageError('--secret-id applies to revoke-secret only');
  if (secretId !== undefined && !SECRET_ID_PATTERN.test(secretId)) throw new UsageError(`--secret-id: "${secretId}" is not a secret id (sec_ + 12 hex digits)`);
  if (command !== 'create' && (values.label !== undefined || values.scope !== undefined)) throw new UsageError('--label and --scope apply to create only');
  if (command !== 'create' && command !== 'add-secret' && values['expires-in'] !== undefined) throw new UsageError('--expires-in applies to create and add-secret only');
  if (command !== 'revoke-secret' && values.force) throw new UsageError('--force applies to revoke-secret only');
  const label = values.label as string | undefined;
  const scope = values.scope as string | undefined;
  const expiresIn = values['expires-in'] as string | undefined;
  return {
    command,
    tenant,
    location,
    force: values.force === true,
    ...(label !== undefined ? { label } : {}),
    ...(scope !== undefined ? { scopes: parseScopes(scope) } : {}),
    ...(expiresIn !== undefined ? { expiresInMs: parseDuration(expiresIn) } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(secretId !== undefined ? { secretId } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}
