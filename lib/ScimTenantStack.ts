import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ScimApi } from './ScimApi';
import { ScimDashboard } from './ScimDashboard';
import { ScimFunctions, type ScimFunctionName } from './ScimFunctions';
import { ScimOAuth } from './ScimOAuth';
import { ScimChangeFeed, type FeedFunctionName } from './ScimChangeFeed';
import { ScimSecret } from './ScimSecret';
import { ScimTable } from './ScimTable';
import { alarmTopicArn, dashboardUrl, OPS_NAMES } from './opsNames';
import { defaultTenantConfig, isTenantName, reservedConcurrencyOf, scimConfigOf, TENANT_NAME_PATTERN, type TenantConfig } from './tenantConfig';

/** Props of {@link ScimTenantStack}. */
export interface ScimTenantStackProps extends StackProps {
  /** The tenant name (TENANT_NAME_PATTERN). */
  readonly tenant: string;
  /**
   * The tenant's validated configuration.
   * @default defaultTenantConfig()
   */
  readonly config?: TenantConfig;
  /**
   * Handler entry files by function; tests point them at a fixture.
   * @default `lambdas/handlers/<name>.ts`
   */
  readonly functionEntries?: Partial<Record<ScimFunctionName | FeedFunctionName, string>>;
}

/** The stack name of a tenant: the token CLI finds the stack (and its outputs) by it. */
export function tenantStackName(tenant: string): string {
  return `Scim-${tenant}`;
}

/**
 * Physical names of the two resources a stack deletion leaves behind (RETAIN). Generation 1 keeps
 * the original names; a later generation (tenant config `dataGeneration`) gets fresh ones, so a
 * re-onboarded tenant never collides with what its deleted stack retained.
 */
export function retainedResourceNames(tenant: string, generation = 1): { table: string; secret: string } {
  // A dot: no tenant name holds one, so `acme` generation 2 can never be tenant `acme-g2`'s names.
  const suffix = generation === 1 ? '' : `.g${generation}`;
  return { table: `scim-${tenant}${suffix}`, secret: `scim/${tenant}${suffix}/tokens` };
}

/** The command an operator runs to issue the tenant's first token. */
export function issueTokenCommand(tenant: string): string {
  return `npm run token -- create --tenant ${tenant} --label idp`;
}

/** The command an operator runs to create the tenant's first OAuth client. */
export function createClientCommand(tenant: string): string {
  return `npm run token -- client create --tenant ${tenant} --label entra`;
}

/**
 * One tenant's SCIM endpoint: table, token secret, functions, API, and optionally a dashboard and
 * alarms of its own (the ops stack, lib/ScimOpsStack.ts, watches every tenant by default). Every
 * physical name carries the tenant, so tenants deploy side by side in one account; no lookups, so
 * the stack synthesizes without credentials (environment-agnostic).
 */
export class ScimTenantStack extends Stack {
  /** The tenant. */
  public readonly tenant: string;
  /** The table construct. */
  public readonly table: ScimTable;
  /** The token secret construct. */
  public readonly secret: ScimSecret;
  /** The functions construct. */
  public readonly functions: ScimFunctions;
  /** The API construct. */
  public readonly api: ScimApi;
  /** The dashboard and alarms construct. */
  public readonly dashboard: ScimDashboard;
  /** The OAuth key, token function and alarms, when the tenant enables OAuth. */
  public readonly oauth?: ScimOAuth;
  /** Physical names of the retained table and secret (retainedResourceNames). */
  public readonly retainedNames: { readonly table: string; readonly secret: string };
  /** The change feed: stream handler, bus, event log API, webhooks. */
  public readonly changeFeed: ScimChangeFeed;

  constructor(scope: Construct, id: string, props: ScimTenantStackProps) {
    if (!isTenantName(props.tenant)) {
      throw new Error(`invalid tenant name "${props.tenant}": expected ${TENANT_NAME_PATTERN}`);
    }
    super(scope, id, {
      stackName: tenantStackName(props.tenant),
      description: `Serverless SCIM 2.0 endpoint for tenant ${props.tenant}`,
      ...props,
    });
    const tenant = props.tenant;
    const config = props.config ?? defaultTenantConfig();
    this.tenant = tenant;
    Tags.of(this).add('scim:tenant', tenant);
    Tags.of(this).add('app', 'serverless-scim');
    const retention = config.logRetentionDays as logs.RetentionDays;

    const names = retainedResourceNames(tenant, config.dataGeneration);
    this.retainedNames = names;
    this.table = new ScimTable(this, 'Table', { tableName: names.table, indexCount: config.tableIndexes });
    this.secret = new ScimSecret(this, 'Secret', { tenant, secretName: names.secret });
    this.functions = new ScimFunctions(this, 'Functions', {
      tenant,
      table: this.table.table,
      secret: this.secret.secret,
      scimConfig: scimConfigOf(config),
      entries: props.functionEntries,
      logRetention: retention,
      tracing: config.tracing,
      sourceMaps: config.sourceMaps,
      bulkMemorySize: config.bulkMemoryMb,
      reservedConcurrency: reservedConcurrencyOf(config),
      metricsDetail: config.metricsDetail,
    });
    // OAuth (issue 16) is opt-in per tenant: without it no key, no token function, no route.
    if (config.oauth.enabled) {
      this.oauth = new ScimOAuth(this, 'OAuth', {
        tenant,
        config: config.oauth,
        secret: this.secret.secret,
        authorizer: this.functions.authorizer,
        discovery: this.functions.discovery,
        logRetention: retention,
        tracing: config.tracing,
        sourceMaps: config.sourceMaps,
      });
    }
    this.api = new ScimApi(this, 'Api', {
      tenant,
      functions: {
        authorizer: this.functions.authorizer,
        users: this.functions.users,
        groups: this.functions.groups,
        discovery: this.functions.discovery,
        bulk: this.functions.bulk,
        token: this.oauth?.tokenFunction,
      },
      throttlingRateLimit: config.throttling.rateLimit,
      throttlingBurstLimit: config.throttling.burstLimit,
      authorizerCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
      accessLogRetention: retention,
      tracing: config.tracing,
      waf: config.waf.enabled
        ? { rateLimitPer5Min: config.waf.rateLimitPer5Min, allowedCidrs: config.waf.allowedCidrs, logging: config.waf.logging }
        : undefined,
      // Resolved by CloudFormation at deploy time from the ops stack's parameter: synth stays offline,
      // and the ops stack can replace its web ACL without an export blocking it.
      sharedWebAclArn: config.waf.shared ? ssm.StringParameter.valueForStringParameter(this, OPS_NAMES.webAclArnParameter) : undefined,
    });
    this.dashboard = new ScimDashboard(this, 'Dashboard', {
      tenant,
      api: this.api.api,
      functions: this.functions.functions,
      table: this.table.table,
      alarmEmail: config.alarmEmail,
      noProvisioningAlarmHours: config.noProvisioningAlarmHours,
      createDashboard: config.dashboard,
      // An alarm email asks for alarms of the tenant's own; otherwise the ops stack's fleet alarms watch it.
      createAlarms: config.tenantAlarms || config.alarmEmail !== undefined,
      // The ops stack's topic, by its fixed name: no export, so neither stack blocks the other's updates.
      alarmTopic: config.alarmEmail ? undefined : sns.Topic.fromTopicArn(this, 'OpsAlarmTopic', alarmTopicArn()),
    });
    this.changeFeed = new ScimChangeFeed(this, 'ChangeFeed', {
      tenant,
      table: this.table.table,
      api: this.api.api,
      bus: config.changeFeed.bus,
      payload: config.changeFeed.payload,
      eventLogRetentionDays: config.changeFeed.eventLogRetentionDays,
      webhookUrl: config.changeFeed.webhookUrl,
      scimConfig: scimConfigOf(config),
      entries: props.functionEntries,
      logRetention: retention,
      // No fourth role per tenant (IAM's 1,000 per account bound the fleet): discovery's role has no
      // table access, and the feed's grants reach only the event log's and audit trail's partitions.
      role: this.functions.roles.discovery,
      createAlarms: config.tenantAlarms || config.alarmEmail !== undefined,
      tracing: config.tracing,
      sourceMaps: config.sourceMaps,
    });
    const alarmAction = new cwActions.SnsAction(this.dashboard.alarmTopic);
    for (const alarm of Object.values(this.changeFeed.alarms)) {
      alarm.addAlarmAction(alarmAction);
      alarm.addOkAction(alarmAction);
    }

    // Output keys are a contract: the token CLI and the README read them by these exact names.
    new CfnOutput(this, 'ScimBaseUrl', { value: this.api.scimBaseUrl, description: 'Tenant URL to paste into the IdP' });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secret.secretArn, description: 'Token hashes (managed by npm run token)' });
    new CfnOutput(this, 'DashboardUrl', {
      value: config.dashboard ? this.dashboard.dashboardUrl : dashboardUrl(OPS_NAMES.fleetDashboard),
      description: config.dashboard ? 'CloudWatch dashboard of the tenant' : 'CloudWatch fleet dashboard (ops stack)',
    });
    new CfnOutput(this, 'IssueTokenCommand', { value: issueTokenCommand(tenant), description: 'Issue the first bearer token' });
    if (this.oauth && this.api.tokenEndpointUrl) {
      // The dashboard owns the alarm topic and is built after the API: wire the OAuth alarms now.
      for (const a of Object.values(this.oauth.alarms)) {
        a.addAlarmAction(new cwActions.SnsAction(this.dashboard.alarmTopic));
        a.addOkAction(new cwActions.SnsAction(this.dashboard.alarmTopic));
      }
      new CfnOutput(this, 'TokenEndpointUrl', { value: this.api.tokenEndpointUrl, description: 'OAuth 2.0 token endpoint (client credentials, Entra federation)' });
      new CfnOutput(this, 'CreateClientCommand', { value: createClientCommand(tenant), description: 'Create the first OAuth client' });
    }
    // What the vendor's app consumes (README "Consuming changes", docs/table-layout.md).
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'The tenant table (layout: docs/table-layout.md)' });
    new CfnOutput(this, 'TableStreamArn', { value: this.table.table.tableStreamArn ?? '', description: 'The table stream (new and old images)' });
    new CfnOutput(this, 'EventBusName', { value: this.changeFeed.eventBus.eventBusName, description: 'EventBridge bus of the change events (source serverless-scim)' });
    new CfnOutput(this, 'EventsEndpoint', { value: this.api.api.urlForPath('/events'), description: 'GET /events pull API (token scope events:read)' });
    if (this.changeFeed.webhookSecret) {
      new CfnOutput(this, 'WebhookSecretArn', { value: this.changeFeed.webhookSecret.secretArn, description: 'Standard Webhooks signing secret to share with the receiving app' });
    }
  }
}
