import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_SECRET_CACHE_TTL_MS } from '../auth/constants';
import { createCachedSecretReader } from '../auth/createCachedSecretReader';
import { createLocalAuthorizer } from '../auth/createLocalAuthorizer';
import { LocalFileSecretSource } from '../auth/LocalFileSecretSource';
import { createAccessTokenVerifier } from '../auth/oauth/accessToken';
import { createTokenEndpoint } from '../auth/oauth/createTokenEndpoint';
import { loadLocalSigningKey } from '../auth/oauth/LocalKeyFile';
import { OAuthConfigSchema, type OAuthConfigInput } from '../auth/oauth/oauthConfig';
import { createToken, importToken } from '../auth/tokenStore';
import { parseToken } from '../auth/token';
import { ScimStore } from '../store';
import { createDeps } from '../handlers/resources/deps';
import { parseTenantScimConfig } from '../scim/config';
import { createUsersHandler } from '../handlers/users';
import { createGroupsHandler } from '../handlers/groups';
import { createDiscoveryHandler } from '../handlers/discovery';
import { createBulkHandler } from '../handlers/bulk';
import { createMaintenanceHandler, MAINTENANCE_INTERVAL_MS } from '../handlers/maintenance';
import { createEventsHandler } from '../handlers/events';
import { startLocalServer } from './localServer';
import type { LocalLimitsInput } from './localLimits';
import type { StreamPoller } from './streamPoller';
import { openLocalTable } from './localTable';
import { startMaintenanceTimer } from './maintenanceTimer';
import { EventLog } from '../store/eventLog';
import { createStreamProcessor } from '../feed/createStreamProcessor';
import { EventLogSink } from '../feed/EventLogSink';
import { AuditLogSink } from '../feed/AuditLogSink';
import { AuditLog } from '../store/auditLog';
import { ConsoleSink } from '../feed/ConsoleSink';
import { LocalWebhookSink } from '../feed/LocalWebhookSink';
import type { EventSink } from '../feed/EventSink';
import type { ChangeEvent } from '../events';

/** Options of {@link startLocalStack}; `npm start` fills them from the environment. */
export interface LocalStackOptions {
  /** Where DynamoDB Local keeps its files and where tokens.json lives. */
  readonly dataDir: string;
  /** @default 8080 (0: any free port) */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Use this token (SCIM_LOCAL_TOKEN) instead of issuing a new one. */
  readonly token?: string;
  /** Reuse a running DynamoDB Local (tests) instead of starting one with dataDir. */
  readonly dynamoEndpoint?: string;
  /** @default scim-local */
  readonly tableName?: string;
  /** The tenant's SCIM configuration (custom extensions, page sizes). */
  readonly scimConfig?: unknown;
  /** DynamoDB Local in memory even though dataDir is given (tests). @default false */
  readonly inMemory?: boolean;
  /**
   * How often the maintenance job runs, as the stack's schedule does (finishes deferred group
   * deletes, runs each delete's second reverse-index pass). @default MAINTENANCE_INTERVAL_MS (5 min)
   */
  readonly maintenanceIntervalMs?: number;
  /** The store's bound on resources a non-indexed filter may examine (tests use a small one). @default 2000 */
  readonly maxScanItems?: number;
  /** AWS's limits as the server enforces them; tests shrink them. @default AWS_LIMITS */
  readonly limits?: LocalLimitsInput;
  /**
   * The tenant's OAuth configuration (`oauth` of a tenant config file): with `enabled`, POST
   * /oauth2/token is served and its tokens accepted, signed by `<dataDir>/oauth-signing-key.pem`.
   * @default - OAuth disabled
   */
  readonly oauth?: OAuthConfigInput;
  /** Clock for the authorizer and the token endpoint (tests move it forward). @default Date.now */
  readonly now?: () => number;
  /**
   * Run the change feed: the table's stream, the same stream handler as the stack's, the event log
   * behind GET /events. Storage-only tests turn it off to spare the shared machine. @default true
   */
  readonly changeFeed?: boolean;
  /** Print one line per event on stdout (npm start). @default false */
  readonly printEvents?: boolean;
  /** Deliver every event, signed (Standard Webhooks), to this URL (SCIM_WEBHOOK_URL). */
  readonly webhook?: { readonly url: string; readonly secret: string };
  /** Called with each stream record's events once published (tests). */
  readonly onEvents?: (events: readonly ChangeEvent[]) => void;
}

/** A running local tenant: the endpoint, its token, and how to stop it. */
export interface LocalStack {
  readonly baseUrl: string;
  /** The token endpoint's URL (answers only when OAuth is enabled). */
  readonly tokenUrl: string;
  /** Where tokens.json (and DynamoDB Local's files, unless in memory) live. */
  readonly dataDir: string;
  readonly token: string;
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  readonly store: ScimStore;
  /** The store's document client (tests attach a request counter to it). */
  readonly doc: DynamoDBDocumentClient;
  /** The change feed's stream poller, when it runs (changeFeed). */
  readonly feed?: StreamPoller;
  /** The event log the stream handler writes. */
  readonly eventLog?: EventLog;
  /** The audit trail the stream handler writes (npm run audit reads it). */
  readonly auditLog?: AuditLog;
  close(): Promise<void>;
}

/** The tenant name of the local stack: tokens look like `scim_local_…`. */
export const LOCAL_TENANT = 'local';

/**
 * Starts one tenant locally: DynamoDB Local, the table (same definition as the stack's), a token
 * issued through the token code into `<dataDir>/tokens.json`, and the real handlers and authorizer
 * behind the node:http adapter.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (options.token !== undefined && parseToken(options.token)?.tenant !== LOCAL_TENANT) {
    // Checked before Java starts: a typo in SCIM_LOCAL_TOKEN should fail in a second, not after DynamoDB Local boots.
    throw new Error(`SCIM_LOCAL_TOKEN must look like scim_${LOCAL_TENANT}_<43 base64url characters> (e.g. one printed by npm start)`);
  }
  const changeFeed = options.changeFeed ?? true;
  const table = await openLocalTable({ ...options, tableName: options.tableName ?? 'scim-local', stream: changeFeed });
  const { doc, tableName } = table;

  const source = LocalFileSecretSource.inDataDir(options.dataDir);
  const token = options.token
    ? (await importToken(source, { tenant: LOCAL_TENANT, token: options.token, label: 'SCIM_LOCAL_TOKEN' }), options.token)
    : (await createToken(source, { tenant: LOCAL_TENANT, label: `npm start ${new Date().toISOString()}` })).token;

  const scimConfig = parseTenantScimConfig(options.scimConfig ?? {});
  const store = new ScimStore({ doc, tableName, maxScanItems: options.maxScanItems, sortedIndexes: scimConfig.sortedIndexes });
  const deps = createDeps(store, scimConfig);
  const oauth = OAuthConfigSchema.parse(options.oauth ?? {});
  const now = options.now;
  // The local key file stands in for the KMS key: the same RS256 tokens, verified the same way.
  const signingKey = oauth.enabled ? await loadLocalSigningKey(options.dataDir) : undefined;
  const eventLog = new EventLog({ doc, tableName });
  const auditLog = new AuditLog({ doc, tableName });
  let feed: StreamPoller | undefined;
  if (changeFeed) {
    const sinks: EventSink[] = [new EventLogSink(eventLog)];
    if (options.printEvents) sinks.push(new ConsoleSink());
    if (options.webhook) sinks.push(new LocalWebhookSink(options.webhook.url, options.webhook.secret));
    feed = await table.startFeed(
      createStreamProcessor({ tenant: LOCAL_TENANT, registry: deps.registry, sinks, audit: new AuditLogSink(auditLog), onPublished: options.onEvents }),
    );
  }
  const server = await startLocalServer({
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    limits: options.limits,
    authorizer: createLocalAuthorizer({
      dataDir: options.dataDir,
      tenant: LOCAL_TENANT,
      ...(now ? { now } : {}),
      ...(signingKey
        ? {
            accessTokens: createAccessTokenVerifier({ tenant: LOCAL_TENANT, kid: signingKey.signer.kid, loadPublicKey: async () => signingKey.publicKey, now }),
            federatedClientIds: oauth.federation.map((f) => f.clientId),
          }
        : {}),
    }),
    functions: {
      users: createUsersHandler(deps),
      groups: createGroupsHandler(deps),
      discovery: createDiscoveryHandler({ ...deps, oauthEnabled: oauth.enabled }),
      bulk: createBulkHandler(deps),
      events: createEventsHandler(eventLog),
    },
    ...(signingKey
      ? {
          tokenEndpoint: createTokenEndpoint({
            tenant: LOCAL_TENANT,
            config: oauth,
            signer: signingKey.signer,
            readSecret: createCachedSecretReader({ source, tenant: LOCAL_TENANT, ttlMs: LOCAL_SECRET_CACHE_TTL_MS, now }),
            now,
          }),
        }
      : {}),
  });
  // The stack runs the maintenance job on a schedule; locally it runs on the same one, or a deleted
  // user a racing PATCH re-added would stay listed as a member for ever. One run at a time.
  const maintenance = startMaintenanceTimer(createMaintenanceHandler(store), options.maintenanceIntervalMs ?? MAINTENANCE_INTERVAL_MS);
  return {
    baseUrl: server.baseUrl,
    tokenUrl: server.tokenUrl,
    dataDir: options.dataDir,
    token,
    tableName,
    dynamoEndpoint: table.endpoint,
    store,
    doc,
    feed,
    eventLog,
    auditLog,
    async close() {
      await maintenance.stop();
      await server.close();
      await table.close();
    },
  };
}
