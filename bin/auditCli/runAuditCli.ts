import { join, resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { startDynamoLocal, type DynamoLocal } from '../../lambdas/local/dynamoLocal';
import { AuditLog } from '../../lambdas/store/auditLog';
import { createDynamoClients } from '../../lambdas/store/clients';
import { KeySpace, POOL_KEYS, SILO_KEYS } from '../../lambdas/store/keys';
import { readStackOutputs, StackOutputsError } from '../tokenCli/resolveSecretLocation';
import { UsageError } from '../tokenCli/UsageError';
import { formatAuditEntry } from './formatAuditEntry';
import { parseAuditArgs, USAGE, type AuditArgs } from './parseAuditArgs';

/** What the CLI talks to; injectable for tests. */
export interface AuditCliDeps {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** @default a CloudFormationClient with the default credential chain */
  readonly cloudFormation?: (region: string | undefined) => CloudFormationClient;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The stack output naming the tenant's table (lib/ScimTenantStack.ts). */
const TABLE_OUTPUT = 'TableName';

/** Where the trail is: the table, the DynamoDB endpoint (none: AWS), and a DynamoDB Local the CLI started. */
async function locate(args: AuditArgs, deps: AuditCliDeps): Promise<{ table: string; endpoint?: string; started?: DynamoLocal }> {
  if (args.local !== undefined) {
    // npm start's layout (lambdas/local/start.ts): <dataDir>/dynamodb, or <dataDir>/pool/dynamodb with --pool.
    const dir = args.pool ? join(resolve(args.local), 'pool') : resolve(args.local);
    const table = args.table ?? (args.pool ? 'scim-pool' : 'scim-local');
    if (args.endpoint) return { table, endpoint: args.endpoint };
    const started = await startDynamoLocal({ dataDir: join(dir, 'dynamodb') });
    return { table, endpoint: started.endpoint, started };
  }
  if (args.table) return { table: args.table, ...(args.endpoint ? { endpoint: args.endpoint } : {}) };
  const cf = (deps.cloudFormation ?? ((region) => new CloudFormationClient(region ? { region } : {})))(args.region);
  const { outputs } = await readStackOutputs(cf, args.tenant);
  const table = outputs[TABLE_OUTPUT];
  if (!table) throw new StackOutputsError(`the tenant stack has no ${TABLE_OUTPUT} output; deploy the current version or pass --table`);
  return { table };
}

/**
 * `npm run audit -- --tenant <name> [--since 7d] [--user <id>]`: the audit trail the stream handler
 * keeps (lambdas/store/auditLog.ts), deployed (the stack's table, default AWS credentials) or local
 * (`--local`). Exit codes: 0 printed (possibly nothing), 1 failed, 2 bad command line. Never throws.
 */
export async function runAuditCli(argv: readonly string[], deps: AuditCliDeps): Promise<0 | 1 | 2> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) deps.err(`error: ${e.message}\n`);
      deps.err(USAGE);
      return 2;
    }
    throw e;
  }
  let where: Awaited<ReturnType<typeof locate>> | undefined;
  try {
    where = await locate(args, deps);
    const { doc, client } = createDynamoClients({ endpoint: where.endpoint, region: args.region });
    // A pooled table: the tenant's own key space; a per-tenant table has one.
    const keys = args.pool ? new KeySpace(POOL_KEYS.tenantKeyPrefix(args.tenant)) : SILO_KEYS;
    const now = deps.now?.() ?? Date.now();
    try {
      const entries = await new AuditLog({ doc, tableName: where.table, keys }).read(new Date(now - args.sinceMs), new Date(now), args.user ? { resourceId: args.user } : {});
      for (const e of entries) deps.out(`${args.json ? JSON.stringify(e) : formatAuditEntry(e)}\n`);
      if (entries.length === 0 && !args.json) deps.err(`no audit entries in ${where.table} since ${new Date(now - args.sinceMs).toISOString()}${args.user ? ` for ${args.user}` : ''}\n`);
    } finally {
      client.destroy();
    }
    return 0;
  } catch (e) {
    deps.err(`error: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}\n`);
    return 1;
  } finally {
    await where?.started?.stop();
  }
}
