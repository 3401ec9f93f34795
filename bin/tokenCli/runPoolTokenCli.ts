import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ManagementApiError, ManagementClient, type ManagedToken } from '../../lambdas/pool/management/ManagementClient';
import type { SigningCredentials } from '../../lambdas/pool/management/sigv4';
import { formatTokenList } from './formatTokenList';
import type { TokenArgs } from './parseTokenArgs';
import type { ClientArgs } from './parseClientArgs';
import { formatClientList, printSecret } from './runClientCli';
import { UsageError } from './UsageError';

/** What the pooled commands need: where the pool is and who signs. */
export interface PoolCliDeps {
  readonly out: (text: string) => void;
  /** @default the SDK's default credential chain (env, profile, SSO, instance role) */
  readonly credentials?: () => Promise<SigningCredentials>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

function managementClient(args: { pool: string; region?: string }, deps: PoolCliDeps): ManagementClient {
  if (!args.region) throw new UsageError('--pool needs --region (the pool stack\'s Region; `local` for npm start -- --pool)');
  return new ManagementClient({
    endpoint: args.pool,
    region: args.region,
    credentials: deps.credentials ?? (() => fromNodeProviderChain()()),
    fetch: deps.fetch,
  });
}

function statusOf(t: ManagedToken, now: number): 'active' | 'revoked' | 'expired' {
  if (t.revokedAt && Date.parse(t.revokedAt) <= now) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}

/**
 * `npm run token -- <create|rotate|revoke|list> --tenant <t> --pool <stage URL> --region <r>`:
 * the same commands against a pooled stack's management API (SigV4 with the caller's AWS
 * credentials, which need the stack's ManagementPolicyArn). `create` for a tenant not yet enabled
 * enables it (its first token). Locally: `--pool http://127.0.0.1:8080 --region local` with the
 * access keys `npm start -- --pool` prints in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
 */
export async function runPoolTokenCommand(args: TokenArgs & { pool: string }, deps: PoolCliDeps): Promise<void> {
  const client = managementClient(args, deps);
  const now = (deps.now ?? Date.now)();
  const expiresInSeconds = args.expiresInMs !== undefined ? Math.round(args.expiresInMs / 1000) : undefined;
  const shown = (token: string, id: string, baseUrl: string | undefined) =>
    deps.out(
      [
        `Created token ${id} for tenant ${args.tenant}.`,
        '',
        `  SCIM base URL: ${baseUrl ?? '(see GET /manage/tenants/<tenant>)'}`,
        `  Secret token:  ${token}`,
        '',
        'This is the only time the token is shown; it is stored as a hash. Paste it into the IdP now.',
        '',
      ].join('\n'),
    );
  switch (args.command) {
    case 'create': {
      try {
        const issued = await client.issueToken(args.tenant, { label: args.label ?? 'default', scopes: args.scopes, expiresInSeconds });
        shown(issued.token, issued.id, (await client.getTenant(args.tenant)).scimBaseUrl);
      } catch (e) {
        if (!(e instanceof ManagementApiError && e.status === 404)) throw e;
        const enabled = await client.enableTenant(args.tenant, { label: args.label ?? 'default', scopes: args.scopes });
        deps.out(`Enabled tenant ${args.tenant} on the pool.\n`);
        shown(enabled.token, enabled.tokenId, enabled.scimBaseUrl);
      }
      return;
    }
    case 'rotate': {
      const tokens = await client.listTokens(args.tenant);
      const old = args.id ? tokens.find((t) => t.id === args.id) : undefined;
      if (args.id && !old) throw new ManagementApiError(404, 'not_found', `no token ${args.id}`);
      const issued = await client.issueToken(args.tenant, { label: args.label ?? old?.label ?? 'default', scopes: args.scopes ?? (old ? [...old.scopes] : undefined), expiresInSeconds });
      shown(issued.token, issued.id, (await client.getTenant(args.tenant)).scimBaseUrl);
      deps.out(`The old token stays valid. Once the IdP works with the new one: npm run token -- revoke --tenant ${args.tenant} --id ${old?.id ?? '<old id>'} --pool ${args.pool} --region ${args.region}\n`);
      return;
    }
    case 'revoke': {
      const tokens = await client.listTokens(args.tenant);
      const active = tokens.filter((t) => statusOf(t, now) === 'active');
      if (!args.force && active.length === 1 && active[0].id === args.id) {
        throw new UsageError(`${args.id} is the tenant's last active token: revoking it stops provisioning (use --force)`);
      }
      const revoked = await client.revokeToken(args.tenant, args.id!);
      deps.out(`Revoked ${revoked.id} at ${revoked.revokedAt}; calls with it fail within the pool's authorizer caches.\n`);
      return;
    }
    case 'list': {
      const tokens = await client.listTokens(args.tenant);
      deps.out(`${formatTokenList(tokens.map((t) => ({ ...t, scopes: [...t.scopes], status: statusOf(t, now) }) as Parameters<typeof formatTokenList>[0][number]))}\n`);
      return;
    }
  }
}

/**
 * `npm run token -- client <create|add-secret|revoke-secret|list|revoke> --tenant <t> --pool <stage
 * URL> --region <r>`: the OAuth client commands against a pooled stack's management API, printing
 * what the silo commands print. `create` turns OAuth on for the tenant first if it is off (with
 * the default settings; federation and token lifetime through `PUT /manage/tenants/<t>/oauth`).
 */
export async function runPoolClientCommand(args: ClientArgs & { pool: string }, deps: PoolCliDeps): Promise<void> {
  const client = managementClient(args, deps);
  const expiresInSeconds = args.expiresInMs !== undefined ? Math.round(args.expiresInMs / 1000) : undefined;
  switch (args.command) {
    case 'create': {
      const { oauth } = await client.getOAuth(args.tenant);
      if (!oauth.enabled) {
        await client.setOAuth(args.tenant, { ...oauth, enabled: true });
        deps.out(`Turned OAuth on for tenant ${args.tenant}.\n`);
      }
      const created = await client.createClient(args.tenant, { label: args.label ?? 'default', scopes: args.scopes, expiresInSeconds });
      printSecret(args, deps, created, created.tokenEndpoint);
      return;
    }
    case 'add-secret': {
      const added = await client.addClientSecret(args.tenant, args.clientId!, { expiresInSeconds });
      const listed = (await client.listClients(args.tenant)).find((c) => c.id === added.clientId);
      printSecret(args, deps, { ...added, label: listed?.label ?? '', scopes: listed?.scopes ?? [] }, added.tokenEndpoint);
      deps.out(`The other secrets stay valid. Once the IdP uses the new one, revoke the old one:\n  npm run token -- client revoke-secret --tenant ${args.tenant} --client-id ${added.clientId} --secret-id <old sec_...> --pool ${args.pool} --region ${args.region}\n`);
      return;
    }
    case 'revoke-secret': {
      const revoked = await client.revokeClientSecret(args.tenant, args.clientId!, args.secretId!, { force: args.force });
      deps.out(`Revoked ${revoked.secretId} at ${revoked.revokedAt}; it stops issuing tokens, and access tokens issued with it stop working, within the pool's caches.\n`);
      return;
    }
    case 'revoke': {
      const revoked = await client.revokeClient(args.tenant, args.clientId!);
      deps.out(`Revoked client ${revoked.clientId} at ${revoked.revokedAt}; its access tokens stop working within the pool's caches.\n`);
      return;
    }
    case 'list':
      deps.out(`${formatClientList(await client.listClients(args.tenant))}\n`);
      return;
  }
}
