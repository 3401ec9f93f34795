import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS, revocationDelaySeconds } from '../../lambdas/auth/constants';
import { TokenSecretError, TokenNotFoundError } from '../../lambdas/auth/errors';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import type { SecretSource } from '../../lambdas/auth/SecretSource';
import { SecretsManagerSecretSource } from '../../lambdas/auth/SecretsManagerSecretSource';
import type { TokenRecord } from '../../lambdas/auth/tokenSecret';
import { createToken, LastActiveTokenError, listTokens, revokeToken, rotateToken } from '../../lambdas/auth/tokenStore';
import { formatTokenList } from './formatTokenList';
import { runClientCli } from './runClientCli';
import { parseTokenArgs, USAGE, type TokenArgs } from './parseTokenArgs';
import { readStackOutputs, StackOutputsError } from './resolveSecretLocation';
import { UsageError } from './UsageError';
import { runPoolTokenCommand, type PoolCliDeps } from './runPoolTokenCli';
import { ManagementApiError } from '../../lambdas/pool/management/ManagementClient';

/** What the CLI talks to; injectable for tests. */
export interface TokenCliDeps {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** @default a CloudFormationClient with the default credential chain */
  readonly cloudFormation?: (region: string | undefined) => CloudFormationClient;
  /** @default a SecretsManagerClient with the default credential chain */
  readonly secretsManager?: (region: string | undefined) => SecretsManagerClient;
  /** @default Date.now */
  readonly now?: () => number;
  /** Credentials and fetch of `--pool` commands (tests sign with the local pool's keys). */
  readonly pool?: Omit<PoolCliDeps, 'out' | 'now'>;
}

/** Exit codes: 0 done, 1 failed (AWS, secret, unknown id...), 2 bad command line. */
export type ExitCode = 0 | 1 | 2;

/** Runs `npm run token -- ...`; never throws, prints errors without stack traces. */
export async function runTokenCli(argv: string[], deps: TokenCliDeps): Promise<ExitCode> {
  // `client ...` manages OAuth clients (issue 16); everything else is about static tokens.
  if (argv[0] === 'client') return runClientCli(argv.slice(1), deps);
  let args: TokenArgs;
  try {
    args = parseTokenArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) deps.err(`error: ${e.message}\n`);
      deps.err(`${USAGE}\n`);
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
    const known = e instanceof ManagementApiError || e instanceof TokenSecretError || e instanceof TokenNotFoundError || e instanceof LastActiveTokenError || e instanceof StackOutputsError;
    deps.err(`error: ${known ? (e as Error).message : describe(e)}\n`);
    return 1;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The secret the command works on: a local data dir, an explicit ARN, or the tenant stack's
 * SecretArn output (then `outputs` holds the stack's other outputs too). Shared with `client`.
 */
export async function locate(
  args: Pick<TokenArgs, 'location' | 'region' | 'tenant'>,
  deps: TokenCliDeps,
): Promise<{ source: SecretSource; baseUrl: string | undefined; outputs?: Readonly<Record<string, string>> }> {
  const loc = args.location;
  if (loc.kind === 'pool') throw new UsageError('--pool goes through the management API, not a secret: use it with create, rotate, revoke, list or client ...');
  if (loc.kind === 'local') return { source: LocalFileSecretSource.inDataDir(loc.dataDir), baseUrl: undefined };
  const sm = (deps.secretsManager ?? ((region) => new SecretsManagerClient(region ? { region } : {})))(args.region);
  if (loc.kind === 'arn') return { source: new SecretsManagerSecretSource({ client: sm, secretId: loc.secretArn }), baseUrl: undefined };
  const cf = (deps.cloudFormation ?? ((region) => new CloudFormationClient(region ? { region } : {})))(args.region);
  const { secretArn, baseUrl, outputs } = await readStackOutputs(cf, args.tenant);
  return { source: new SecretsManagerSecretSource({ client: sm, secretId: secretArn }), baseUrl, outputs };
}

function describeRecord(r: TokenRecord): string {
  return `${r.id} (label "${r.label}", scopes ${r.scopes.join(' ')}, ${r.expiresAt ? `expires ${r.expiresAt}` : 'no expiry'})`;
}

async function run(args: TokenArgs, deps: TokenCliDeps): Promise<void> {
  if (args.location.kind === 'pool') return runPoolTokenCommand({ ...args, pool: args.location.endpoint }, { ...deps, ...deps.pool });
  const { source, baseUrl } = await locate(args, deps);
  const now = deps.now;
  const revokeCmd = (id: string) => `npm run token -- revoke --tenant ${args.tenant} --id ${id}${locationFlags(args)}`;
  const delay = revocationDelaySeconds(API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS);
  switch (args.command) {
    case 'create':
    case 'rotate': {
      const common = { tenant: args.tenant, expiresInMs: args.expiresInMs, scopes: args.scopes, now };
      const created =
        args.command === 'create'
          ? await createToken(source, { ...common, label: args.label ?? 'default' })
          : await rotateToken(source, { ...common, label: args.label, replaces: args.id });
      deps.out(
        [
          `Created token ${describeRecord(created.record)} for tenant ${args.tenant}.`,
          '',
          `  SCIM base URL: ${baseUrl ?? (args.location.kind === 'local' ? '(printed by npm start)' : '(unknown: see the stack output ScimBaseUrl)')}`,
          `  Secret token:  ${created.token}`,
          '',
          'This is the only time the token is shown; it is stored as a hash. Paste it into the IdP now',
          '(Entra: "Secret Token"; Okta: "API Token" with "HTTP Header" authentication).',
          '',
        ].join('\n'),
      );
      if (args.command === 'rotate') {
        const old = (created as { replaced?: TokenRecord }).replaced;
        deps.out(
          [
            old ? `The old token ${old.id} stays valid. Once the IdP works with the new token, revoke it:` : 'Once the IdP works with the new token, revoke the old one (see list):',
            `  ${revokeCmd(old?.id ?? '<old id>')}`,
            `Revocation takes effect within ${delay} s (secret cache + API Gateway authorizer cache).`,
            '',
          ].join('\n'),
        );
      }
      return;
    }
    case 'revoke': {
      const revoked = await revokeToken(source, { tenant: args.tenant, id: args.id!, force: args.force, now });
      deps.out(`Revoked ${revoked.id} at ${revoked.revokedAt}; calls with it fail within ${delay} s.\n`);
      return;
    }
    case 'list': {
      deps.out(`${formatTokenList(await listTokens(source, { tenant: args.tenant, now }))}\n`);
      return;
    }
  }
}

function locationFlags(args: TokenArgs): string {
  const loc = args.location;
  if (loc.kind === 'local') return ` --local ${loc.dataDir}`;
  if (loc.kind === 'pool') return ` --pool ${loc.endpoint} --region ${args.region ?? ''}`;
  if (loc.kind === 'arn') return ` --secret-arn ${loc.secretArn}`;
  return args.region ? ` --region ${args.region}` : '';
}
