import { API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS, revocationDelaySeconds } from '../../lambdas/auth/constants';
import { TokenSecretError } from '../../lambdas/auth/errors';
import {
  addClientSecret,
  ClientStoreError,
  createClient,
  listClients,
  revokeClient,
  revokeClientSecret,
  type ClientSummary,
  type CreatedClientSecret,
} from '../../lambdas/auth/oauth/clientStore';
import { CLIENT_USAGE, parseClientArgs, type ClientArgs } from './parseClientArgs';
import { StackOutputsError } from './resolveSecretLocation';
import { locate, type ExitCode, type TokenCliDeps } from './runTokenCli';
import { UsageError } from './UsageError';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';
import { runPoolClientCommand } from './runPoolTokenCli';

/** Renders `client list`: one line per client, its secrets indented below; never secrets or hashes. */
export function formatClientList(clients: ReadonlyArray<Omit<ClientSummary, 'scopes'> & { readonly scopes: readonly string[] }>): string {
  if (clients.length === 0) return 'no OAuth clients';
  return clients
    .map((c) =>
      [
        `${c.id}  ${c.status}  ${c.scopes.join(',')}  created ${c.createdAt}${c.revokedAt ? `  revoked ${c.revokedAt}` : ''}  ${c.label}`,
        ...c.secrets.map((s) => `  ${s.id}  ${s.status}  created ${s.createdAt}  expires ${s.expiresAt ?? '-'}  revoked ${s.revokedAt ?? '-'}`),
      ].join('\n'),
    )
    .join('\n');
}

/** Runs `npm run token -- client ...`; never throws, prints errors without stack traces. */
export async function runClientCli(argv: string[], deps: TokenCliDeps): Promise<ExitCode> {
  let args: ClientArgs;
  try {
    args = parseClientArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) deps.err(`error: ${e.message}\n`);
      deps.err(`${CLIENT_USAGE}\n`);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  try {
    await run(args, deps);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      deps.err(`error: ${e.message}\n`);
      return 2;
    }
    const known = e instanceof TokenSecretError || e instanceof ClientStoreError || e instanceof StackOutputsError || e instanceof ManagementApiError;
    deps.err(`error: ${known ? (e as Error).message : e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    return 1;
  }
}

/** A client secret as the CLI prints it, whichever store issued it. */
export interface ShownSecret {
  readonly clientId: string;
  readonly label: string;
  readonly scopes: readonly string[];
  readonly clientSecret: string;
  readonly secretId: string;
  readonly expiresAt?: string;
}

/** Prints a new client secret with what the IdP needs next to it, once. */
export function printSecret(args: ClientArgs, deps: Pick<TokenCliDeps, 'out'>, shown: ShownSecret, tokenUrl: string | undefined): void {
  deps.out(
    [
      `${args.command === 'create' ? 'Created OAuth client' : 'Added a secret to'} ${shown.clientId} (label "${shown.label}", scopes ${shown.scopes.join(' ')}) for tenant ${args.tenant}.`,
      '',
      `  Token endpoint: ${tokenUrl ?? (args.location.kind === 'local' ? '(printed by npm start)' : '(see the stack output TokenEndpointUrl)')}`,
      `  Client ID:      ${shown.clientId}`,
      `  Client secret:  ${shown.clientSecret}`,
      `  Secret id:      ${shown.secretId}${shown.expiresAt ? ` (expires ${shown.expiresAt})` : ''}`,
      '',
      'This is the only time the secret is shown; it is stored as a hash. Paste it into the IdP now.',
      '',
    ].join('\n'),
  );
}

function shownOf(created: CreatedClientSecret): ShownSecret {
  return { clientId: created.client.id, label: created.client.label, scopes: created.client.scopes, clientSecret: created.clientSecret, secretId: created.secret.id, ...(created.secret.expiresAt ? { expiresAt: created.secret.expiresAt } : {}) };
}

async function run(args: ClientArgs, deps: TokenCliDeps): Promise<void> {
  if (args.location.kind === 'pool') return runPoolClientCommand({ ...args, pool: args.location.endpoint }, { ...deps.pool, out: deps.out });
  const { source, outputs } = await locate(args, deps);
  const tokenUrl = outputs?.TokenEndpointUrl;
  const now = deps.now;
  const delay = revocationDelaySeconds(API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS);
  switch (args.command) {
    case 'create':
      printSecret(args, deps, shownOf(await createClient(source, { tenant: args.tenant, label: args.label ?? 'default', scopes: args.scopes, secretExpiresInMs: args.expiresInMs, now })), tokenUrl);
      return;
    case 'add-secret': {
      const created = await addClientSecret(source, { tenant: args.tenant, clientId: args.clientId!, expiresInMs: args.expiresInMs, now });
      printSecret(args, deps, shownOf(created), tokenUrl);
      deps.out(`The other secrets stay valid. Once the IdP uses the new one, revoke the old one:\n  npm run token -- client revoke-secret --tenant ${args.tenant} --client-id ${created.client.id} --secret-id <old sec_...>\n`);
      return;
    }
    case 'revoke-secret': {
      const revoked = await revokeClientSecret(source, { tenant: args.tenant, clientId: args.clientId!, secretId: args.secretId!, force: args.force, now });
      deps.out(`Revoked ${revoked.id} at ${revoked.revokedAt}; it stops issuing tokens within ${delay} s, and access tokens issued with it stop working within ${delay} s.\n`);
      return;
    }
    case 'revoke': {
      const revoked = await revokeClient(source, { tenant: args.tenant, clientId: args.clientId!, now });
      deps.out(`Revoked client ${revoked.id} at ${revoked.revokedAt}; its access tokens stop working within ${delay} s.\n`);
      return;
    }
    case 'list':
      deps.out(`${formatClientList(await listClients(source, { tenant: args.tenant, now }))}\n`);
      return;
  }
}
