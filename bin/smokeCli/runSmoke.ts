import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SECRET_CACHE_TTL_MS } from '../../lambdas/auth/constants';
import { LocalFileSecretSource } from '../../lambdas/auth/LocalFileSecretSource';
import type { SecretSource } from '../../lambdas/auth/SecretSource';
import { SecretsManagerSecretSource } from '../../lambdas/auth/SecretsManagerSecretSource';
import { isValidTenant, parseToken } from '../../lambdas/auth/token';
import { createToken, revokeToken } from '../../lambdas/auth/tokenStore';
import { readStackOutputs } from '../tokenCli/resolveSecretLocation';
import { runSmokeRound, type CheckResult } from './smokeRound';

/** `npm run smoke -- --help`. */
export const SMOKE_USAGE = `usage: npm run smoke -- --tenant <name> [--region <region>]
       npm run smoke -- --url <ScimBaseUrl> --token <token>
       npm run smoke -- --url <ScimBaseUrl> --tenant <name> --local <dataDir>

--tenant alone reads the Scim-<tenant> stack's outputs, issues a token valid for 15 minutes
(label "smoke"), waits for the authorizer's secret cache, runs the round and revokes the token.
--token uses a token you hold (nothing issued, nothing revoked). --local issues into the local
server's token file instead of Secrets Manager.`;

/** What the smoke command talks to; injectable for tests. */
export interface SmokeDeps {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** @default a CloudFormationClient with the default credential chain */
  readonly cloudFormation?: (region: string | undefined) => CloudFormationClient;
  /** @default a SecretsManagerClient with the default credential chain */
  readonly secretsManager?: (region: string | undefined) => SecretsManagerClient;
  /** Waits before the first call with a freshly issued token. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** How long the issued token lives: the round takes seconds; a leak of it expires on its own. */
const SMOKE_TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * Runs `npm run smoke -- ...`: one pass/fail line per check and a final `smoke PASS` or `smoke
 * FAIL` line. Exit code 0 when every check passed, 1 when one failed, 2 for a bad command line.
 */
export async function runSmoke(argv: string[], deps: SmokeDeps): Promise<0 | 1 | 2> {
  let values: { tenant?: string; url?: string; token?: string; region?: string; local?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { tenant: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, region: { type: 'string' }, local: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (e) {
    deps.err(`error: ${(e as Error).message}\n${SMOKE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    deps.out(`${SMOKE_USAGE}\n`);
    return 0;
  }
  const usage = (message: string): 2 => {
    deps.err(`error: ${message}\n${SMOKE_USAGE}\n`);
    return 2;
  };
  // The tenant is in the token's text (scim_<tenant>_...), so --token alone names it.
  const tenant = values.tenant ?? (values.token ? parseToken(values.token)?.tenant : undefined);
  if (!tenant || !isValidTenant(tenant)) return usage('pass --tenant <name> (or a --token of the form scim_<tenant>_...)');
  if (values.token && values.local) return usage('--token and --local are exclusive');
  if (!values.url && (values.token || values.local)) return usage('--token and --local need --url');

  let baseUrl = values.url;
  let token = values.token;
  let issued: { source: SecretSource; id: string } | undefined;
  try {
    if (!token) {
      let source: SecretSource;
      if (values.local) {
        source = LocalFileSecretSource.inDataDir(values.local);
      } else {
        const cf = (deps.cloudFormation ?? ((r) => new CloudFormationClient(r ? { region: r } : {})))(values.region);
        const outputs = await readStackOutputs(cf, tenant);
        baseUrl ??= outputs.baseUrl;
        const sm = (deps.secretsManager ?? ((r) => new SecretsManagerClient(r ? { region: r } : {})))(values.region);
        source = new SecretsManagerSecretSource({ client: sm, secretId: outputs.secretArn });
      }
      const created = await createToken(source, { tenant, label: `smoke ${new Date().toISOString()}`, expiresInMs: SMOKE_TOKEN_LIFETIME_MS });
      token = created.token;
      issued = { source, id: created.record.id };
      deps.out(`issued ${created.record.id} (expires ${created.record.expiresAt}); revoked at the end\n`);
      if (!values.local) {
        // Warm authorizer containers cache the secret: a token is known everywhere once that cache
        // has expired (and a 401 for it would be cached by API Gateway), so wait it out first.
        const waitMs = SECRET_CACHE_TTL_MS + 5_000;
        deps.out(`waiting ${waitMs / 1000} s for the authorizer's secret cache\n`);
        await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(waitMs);
      }
    }
    if (!baseUrl) return usage('the stack has no ScimBaseUrl output: pass --url');
    const results = await runSmokeRound({ baseUrl, token, tenant, fetch: deps.fetch });
    print(results, deps);
    const failed = results.filter((r) => !r.ok).length;
    deps.out(`smoke ${failed === 0 ? 'PASS' : 'FAIL'} tenant=${tenant} url=${baseUrl} checks=${results.length} failed=${failed}\n`);
    return failed === 0 ? 0 : 1;
  } catch (e) {
    deps.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    deps.out(`smoke FAIL tenant=${tenant} url=${baseUrl ?? '?'} (could not run: see above)\n`);
    return 1;
  } finally {
    if (issued) {
      try {
        await revokeToken(issued.source, { tenant, id: issued.id, force: true });
        deps.out(`revoked ${issued.id}\n`);
      } catch (e) {
        deps.err(`error: could not revoke ${issued.id}: ${(e as Error).message}; run npm run token -- revoke --tenant ${tenant} --id ${issued.id}\n`);
      }
    }
  }
}

function print(results: readonly CheckResult[], deps: SmokeDeps): void {
  for (const r of results) deps.out(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}\n`);
}
