import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { createPoolAuthorizer } from '../auth/createPoolAuthorizer';
import { POOL_TENANT_LIMITS } from '../contracts/poolLimits';
import { createPoolFunctions } from '../pool/createPoolFunctions';
import { createManagementHandler } from '../pool/management/createManagementHandler';
import { ManagementClient } from '../pool/management/ManagementClient';
import { verifyRequest, type SigningCredentials } from '../pool/management/sigv4';
import { TenantRateLimiter } from '../pool/TenantRateLimiter';
import { PoolDirectory } from '../store/PoolDirectory';
import { ScimStore } from '../store';
import { POOL_KEYS } from '../store/keys';
import { runPoolMaintenance } from '../pool/runPoolMaintenance';
import { CLEANUP_BUDGET_PER_RUN, MAINTENANCE_INTERVAL_MS } from '../handlers/maintenance';
import type { LocalLimitsInput } from './localLimits';
import { startLocalServer } from './localServer';
import type { StreamPoller } from './streamPoller';
import { openLocalTable } from './localTable';
import { startMaintenanceTimer } from './maintenanceTimer';
import { createPoolFeed } from '../pool/createPoolFeed';
import { createStreamProcessor } from '../feed/createStreamProcessor';
import { EventLogSink } from '../feed/EventLogSink';
import { AuditLogSink } from '../feed/AuditLogSink';
import { ConsoleSink } from '../feed/ConsoleSink';
import type { EventSink } from '../feed/EventSink';
import type { ChangeEvent } from '../events';
import { PoolWebhooks } from '../store/PoolWebhooks';
import { createWebhookTargets, LocalPoolWebhookSink } from '../feed/webhookTargets';
import { createLocalSecretSealer } from './localSecretSealer';
import { loadLocalSigningKey } from '../auth/oauth/LocalKeyFile';
import { createPoolClientReader } from '../pool/poolClients';
import { createPoolTokenEndpoint } from '../pool/createPoolTokenEndpoint';

/** The region the local management API signs for. */
export const LOCAL_POOL_REGION = 'local';

/** Options of {@link startLocalPool}. */
export interface LocalPoolOptions {
  /** Where DynamoDB Local keeps its files. */
  readonly dataDir: string;
  /** @default 8080 (0: any free port) */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Reuse a running DynamoDB Local (tests). */
  readonly dynamoEndpoint?: string;
  /** @default scim-pool */
  readonly tableName?: string;
  /** DynamoDB Local in memory (tests). @default false */
  readonly inMemory?: boolean;
  /** The management API's SigV4 credentials. @default random, printed by `npm start -- --pool` */
  readonly managementCredentials?: SigningCredentials;
  /** Per-tenant request rate. @default POOL_TENANT_LIMITS */
  readonly tenantLimits?: { ratePerSecond: number; burst: number };
  /** How long functions cache a tenant's configuration, ms. @default 60_000 */
  readonly configTtlMs?: number;
  /** How long the authorizer caches a token or tenant, ms. @default 1_000 locally, so revocations show at once */
  readonly authorizerCacheTtlMs?: number;
  /** AWS's limits as the server enforces them. */
  readonly limits?: LocalLimitsInput;
  /** The store's bound on resources a non-indexed filter examines. */
  readonly maxScanItems?: number;
  /**
   * How often the maintenance job of every tenant runs, ms (the stack's schedule).
   * @default MAINTENANCE_INTERVAL_MS (5 min)
   */
  readonly maintenanceIntervalMs?: number;
  /** A tenant delete's quiet period, ms (tests shorten it). @default POOL_DELETE_QUIET_SECONDS */
  readonly deleteQuietMs?: number;
  /** How long one delete call works, ms (tests shorten it). @default POOL_DATA_STEP.deleteBudgetMs */
  readonly deleteBudgetMs?: number;
  /**
   * Run the change feed over the pooled table's stream: events carry the tenant of the item's key
   * space, each tenant's log serves GET /t/<tenant>/events. @default true
   */
  readonly changeFeed?: boolean;
  /** Print one line per event on stdout (npm start -- --pool). @default false */
  readonly printEvents?: boolean;
  /** Called with each group of published events (tests). */
  readonly onEvents?: (events: readonly ChangeEvent[]) => void;
}

/** A running local pool. */
export interface LocalPool {
  /** e.g. http://127.0.0.1:8080: tenants live at `${origin}/t/<tenant>/scim/v2`, management at `${origin}/manage`. */
  readonly origin: string;
  readonly tableName: string;
  readonly managementCredentials: SigningCredentials;
  /** A management client signed with the local credentials. */
  readonly management: ManagementClient;
  readonly directory: PoolDirectory;
  /** The one DynamoDB client every pooled function shares (tests count its requests). */
  readonly doc: DynamoDBDocumentClient;
  /** The change feed's stream poller, when it runs (changeFeed). */
  readonly feed?: StreamPoller;
  close(): Promise<void>;
}

/**
 * Starts the pooled mode locally (`npm start -- --pool`): one table for every tenant, the pooled
 * authorizer and functions, each tenant's OAuth token endpoint (`/t/<tenant>/oauth2/token`, signed
 * by `<dataDir>/oauth-signing-key.pem`), the management API behind SigV4 and a token bucket per tenant, all
 * behind the same node:http adapter and limits as the silo mode.
 */
export async function startLocalPool(options: LocalPoolOptions): Promise<LocalPool> {
  const changeFeed = options.changeFeed ?? true;
  const table = await openLocalTable({ ...options, tableName: options.tableName ?? 'scim-pool', stream: changeFeed });
  const { doc, tableName } = table;

  const directory = new PoolDirectory({ doc, tableName });
  const poolFeed = createPoolFeed({ doc, tableName, directory, configTtlMs: options.configTtlMs });
  // Tenants' webhooks, set through the management API; secrets sealed by a local key (the pool's KMS key in AWS).
  const webhooks = new PoolWebhooks({ doc, tableName });
  const sealer = createLocalSecretSealer(options.dynamoEndpoint || options.inMemory ? undefined : join(options.dataDir, 'webhook-secrets.key'));
  let feed: StreamPoller | undefined;
  if (changeFeed) {
    const sinks: EventSink[] = [new EventLogSink((tenant) => poolFeed.logFor(tenant))];
    if (options.printEvents) sinks.push(new ConsoleSink());
    sinks.push(
      new LocalPoolWebhookSink(createWebhookTargets({ webhooks, sealer, ttlMs: options.configTtlMs }), (e, error) =>
        process.stderr.write(`webhook of tenant ${e.tenant}: event ${e.id} not delivered (${error instanceof Error ? error.message : String(error)})\n`),
      ),
    );
    feed = await table.startFeed(
      createStreamProcessor({ tenantOf: (prefix) => poolFeed.tenantOf(prefix), sinks, audit: new AuditLogSink((tenant) => poolFeed.auditFor(tenant)), onPublished: options.onEvents }),
    );
  }
  const credentials: SigningCredentials = options.managementCredentials ?? {
    accessKeyId: `AKLOCAL${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  const limiter = new TenantRateLimiter(options.tenantLimits ?? POOL_TENANT_LIMITS);
  // The local key file stands in for the pool's KMS key: the same RS256 tokens, verified the same way.
  const signingKey = await loadLocalSigningKey(options.dataDir);
  const authorizerCacheTtlMs = options.authorizerCacheTtlMs ?? 1_000;
  const readClients = createPoolClientReader({ directory, ttlMs: authorizerCacheTtlMs });
  let origin = '';
  const server = await startLocalServer({
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    // The pooled stack reserves no concurrency (its functions serve every tenant), so the silo
    // default cap on bulk (DEFAULT_RESERVED_CONCURRENCY) does not apply here.
    limits: { functionConcurrency: {}, ...options.limits },
    authorizer: createPoolAuthorizer({
      source: directory,
      cacheTtlMs: authorizerCacheTtlMs,
      accessTokens: { kid: signingKey.signer.kid, loadPublicKey: async () => signingKey.publicKey, readClients },
    }),
    functions: createPoolFunctions({
      doc,
      tableName,
      directory,
      configTtlMs: options.configTtlMs,
      maxScanItems: options.maxScanItems,
      ...(changeFeed ? { eventLogFor: (tenant: string) => poolFeed.logFor(tenant) } : {}),
    }),
    pool: {
      management: createManagementHandler({
        directory,
        publicOrigin: () => origin,
        storeFor: (tenant) => new ScimStore({ doc, tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant) }),
        // Locally a receiver on this machine may take http:// (AWS delivers to HTTPS domains only).
        ...(changeFeed ? { webhooks: { webhooks, sealer, allowLoopbackHttp: true } } : {}),
        ...(options.deleteQuietMs !== undefined ? { deleteQuietMs: options.deleteQuietMs } : {}),
        ...(options.deleteBudgetMs !== undefined ? { deleteBudgetMs: options.deleteBudgetMs } : {}),
      }),
      verifyManagement: (r) => verifyRequest(r, credentials, LOCAL_POOL_REGION),
      allowTenant: (tenant) => limiter.take(tenant),
      tokenEndpoint: createPoolTokenEndpoint({ directory, readClients, signer: signingKey.signer, configTtlMs: options.configTtlMs }),
    },
  });
  origin = server.origin;
  // The pooled stack's one schedule, here on a timer: one run at a time, resuming where the last stopped.
  const storeFor = (tenant: string) => new ScimStore({ doc, tableName, keyPrefix: POOL_KEYS.tenantKeyPrefix(tenant) });
  const maintenance = startMaintenanceTimer(async () => {
    const result = await runPoolMaintenance({ directory, storeFor, budget: CLEANUP_BUDGET_PER_RUN, timeBudgetMs: 60_000, startAfter: await directory.maintenanceCursor() });
    await directory.setMaintenanceCursor(result.resumeAfter);
  }, options.maintenanceIntervalMs ?? MAINTENANCE_INTERVAL_MS);
  return {
    origin,
    tableName,
    managementCredentials: credentials,
    management: new ManagementClient({ endpoint: origin, region: LOCAL_POOL_REGION, credentials }),
    directory,
    doc,
    feed,
    async close() {
      await maintenance.stop();
      await server.close();
      await table.close();
    },
  };
}
