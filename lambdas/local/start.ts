/**
 * `npm start`: one tenant on this machine, no AWS account. Prints the SCIM base URL and a token
 * the way the product shows them to an admin. Env: PORT, HOST, SCIM_LOCAL_TOKEN, SCIM_DATA_DIR,
 * SCIM_LOCAL_OAUTH (`off` disables the token endpoint), SCIM_LOCAL_OAUTH_CONFIG (a JSON file with
 * the tenant config's `oauth` object, e.g. federated clients).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OAuthConfigInput } from '../auth/oauth/oauthConfig';
import { JavaMissingError } from './dynamoLocal';
import { LOCAL_POOL_REGION, startLocalPool } from './startLocalPool';
import { startLocalStack } from './startLocalStack';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Our machines run Node 20 by design (Lambdas run nodejs22.x): the SDK's Node 20 notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The local tenant's OAuth configuration: on unless SCIM_LOCAL_OAUTH=off, from SCIM_LOCAL_OAUTH_CONFIG if set. */
function localOAuth(env: NodeJS.ProcessEnv): OAuthConfigInput {
  if (env.SCIM_LOCAL_OAUTH === 'off') return { enabled: false };
  if (!env.SCIM_LOCAL_OAUTH_CONFIG) return { enabled: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(env.SCIM_LOCAL_OAUTH_CONFIG, 'utf8'));
  } catch (e) {
    throw new Error(`SCIM_LOCAL_OAUTH_CONFIG: cannot read ${env.SCIM_LOCAL_OAUTH_CONFIG} as JSON (${(e as Error).message})`);
  }
  return { enabled: true, ...(parsed as object) };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const dataDir = resolve(process.env.SCIM_DATA_DIR ?? '.local');
  if (process.argv.includes('--pool')) return startPool(port, dataDir);
  // SCIM_WEBHOOK_URL: deliver every event there, signed with SCIM_WEBHOOK_SECRET (or a fresh secret, printed).
  const webhookUrl = process.env.SCIM_WEBHOOK_URL;
  const webhook = webhookUrl ? { url: webhookUrl, secret: process.env.SCIM_WEBHOOK_SECRET || `whsec_${randomBytes(24).toString('base64')}` } : undefined;
  const stack = await startLocalStack({
    dataDir,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    token: process.env.SCIM_LOCAL_TOKEN || undefined,
    oauth: localOAuth(process.env),
    printEvents: true,
    ...(webhook ? { webhook } : {}),
  });
  const oauthLines =
    process.env.SCIM_LOCAL_OAUTH === 'off'
      ? []
      : [
          `  Token endpoint (OAuth 2.0 client credentials): ${stack.tokenUrl}`,
          `  Create a client: npm run token -- client create --tenant local --local ${dataDir}`,
          '',
        ];
  const lines = [
    '',
    'SCIM endpoint is running (local tenant, data in ' + dataDir + ')',
    '',
    `  Tenant URL:    ${stack.baseUrl}`,
    `  Secret Token:  ${stack.token}`,
    `  Events:        ${new URL(stack.baseUrl).origin}/events (token scope events:read; change events print below)`,
    ...(webhook ? [`  Webhooks:      ${webhook.url} (secret ${webhook.secret})`] : []),
    '',
    'Paste both into your IdP or try:',
    `  curl -H "Authorization: Bearer ${stack.token}" ${stack.baseUrl}/ServiceProviderConfig`,
    '',
    ...oauthLines,
    'The token is shown once; set SCIM_LOCAL_TOKEN to keep using it after a restart. Ctrl-C stops.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  // Ctrl-C: the DynamoDB Local harness stops Java and exits 130 (lambdas/local/dynamoLocal.ts).
}

/**
 * `npm start -- --pool`: the pooled mode, every tenant in one table, tenants enabled through the
 * management API (SigV4-signed, as the vendor's backend calls it on AWS). Env as above, plus
 * SCIM_POOL_ACCESS_KEY_ID / SCIM_POOL_SECRET_ACCESS_KEY to keep the management credentials.
 */
async function startPool(port: number, dataDir: string): Promise<void> {
  const keyId = process.env.SCIM_POOL_ACCESS_KEY_ID;
  const secret = process.env.SCIM_POOL_SECRET_ACCESS_KEY;
  const pool = await startLocalPool({
    dataDir: join(dataDir, 'pool'),
    port,
    host: process.env.HOST ?? '127.0.0.1',
    managementCredentials: keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret } : undefined,
    printEvents: true,
  });
  const { accessKeyId, secretAccessKey } = pool.managementCredentials;
  const lines = [
    '',
    'Pooled SCIM service is running (data in ' + join(dataDir, 'pool') + ')',
    '',
    `  Management API:  ${pool.origin}/manage/tenants   (SigV4, region ${LOCAL_POOL_REGION}, service execute-api)`,
    `  Access key:      ${accessKeyId}`,
    `  Secret key:      ${secretAccessKey}`,
    '',
    'Enable SCIM for a tenant (answers its Tenant URL and a token, shown once):',
    `  curl --aws-sigv4 "aws:amz:${LOCAL_POOL_REGION}:execute-api" --user "${accessKeyId}:${secretAccessKey}" \\`,
    `       -H "Content-Type: application/json" -d '{"tenant":"acme"}' ${pool.origin}/manage/tenants`,
    'or with the token CLI (create enables the tenant):',
    `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} \\`,
    `       npm run token -- create --tenant acme --pool ${pool.origin} --region ${LOCAL_POOL_REGION}`,
    '',
    'OAuth (Entra gallery: client credentials or Workload Identity Federation), per tenant:',
    `  PUT ${pool.origin}/manage/tenants/<tenant>/oauth  {"enabled":true}   then  POST .../clients (the secret shown once)`,
    `  or: npm run token -- client create --tenant acme --pool ${pool.origin} --region ${LOCAL_POOL_REGION}   (enables OAuth if off)`,
    `  token endpoint: ${pool.origin}/t/<tenant>/oauth2/token`,
    '',
    'Change events: one line each below; a tenant\'s app pulls its own at',
    `  ${pool.origin}/t/<tenant>/events   (a token from POST /manage/tenants/<tenant>/tokens with {"scopes":["events:read"]})`,
    '',
    'Set SCIM_POOL_ACCESS_KEY_ID and SCIM_POOL_SECRET_ACCESS_KEY to keep these credentials after a restart. Ctrl-C stops.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  // One line an operator can act on, not a stack trace.
  const message = e instanceof JavaMissingError ? e.message : `npm start failed: ${(e as Error).message ?? e}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
