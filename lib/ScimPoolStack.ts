import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { BULK_FUNCTION_MEMORY_MB, DEFAULT_FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS, threadPoolSize } from '../lambdas/contracts/awsLimits';
import { POOL_MANAGEMENT_TIMEOUT_SECONDS, POOL_TOKEN_ROUTE_LIMITS } from '../lambdas/contracts/poolLimits';
import { maintenanceScheduleExpression } from '../lambdas/contracts/schedules';
import { SCIM_BASE_PATH } from '../lambdas/contracts/scimApi';
import { METRIC_DIMENSIONS, METRICS_DETAIL_ENV, METRICS_NAMESPACE, METRICS_TENANT_ENV } from '../lambdas/contracts/metricNames';
import { OAUTH_METRIC, TOKEN_FUNCTION_TIMEOUT_SECONDS } from '../lambdas/auth/oauth/constants';
import { poolTokenRoute } from '../lambdas/auth/createPoolAuthorizer';
import { FUNCTION_BUNDLING } from './functionBundling';
import { createSigningKey } from './ScimOAuth';
import { maintenanceFunctionName, POOL_TENANT_SIGNALS, poolTenantRuleName, schedulerRoleArn, type PoolTenantSignal } from './opsNames';
import { isPoolName, parsePoolConfig, type PoolConfig } from './poolConfig';
import { ACCESS_LOG_FIELDS } from './ScimApi';
import { ScimDashboard } from './ScimDashboard';
import { POWERTOOLS_SERVICE_NAME, REPO_ROOT, STORE_ACTIONS } from './ScimFunctions';
import { addScimGatewayResponses, SCIM_GATEWAY_RESPONSE_SPECS } from './scimGatewayResponses';
import { addScimRoutes } from './scimRoutes';
import { ScimTable } from './ScimTable';
import { ScimChangeFeed, type FeedFunctionName } from './ScimChangeFeed';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { TENANT_NAME_PATTERN } from './tenantConfig';

/** The pooled stack's functions: the silo's SCIM functions per tenant, the management API, and the tenants' OAuth token endpoint. */
export const POOL_FUNCTION_NAMES = ['authorizer', 'users', 'groups', 'discovery', 'bulk', 'management', 'maintenance', 'token'] as const;

/** Name of one of the pooled stack's functions. */
export type PoolFunctionName = (typeof POOL_FUNCTION_NAMES)[number];

/** Default entry points: `lambdas/handlers/pool/<name>.ts`. */
export const DEFAULT_POOL_ENTRIES: Readonly<Record<PoolFunctionName, string>> = Object.fromEntries(
  POOL_FUNCTION_NAMES.map((name) => [name, path.join(REPO_ROOT, 'lambdas', 'handlers', 'pool', `${name}.ts`)]),
) as Record<PoolFunctionName, string>;

/**
 * The table access each function's role gets, and nothing else: the authorizer and discovery read
 * directory records (GetItem), the SCIM functions and the maintenance job use the store, the
 * management API the store and the directory, the token function reads directory records (GetItem)
 * and alone may sign with the pool's OAuth key. Four roles for any number of tenants.
 */
export const POOL_ROLE_OF: Readonly<Record<PoolFunctionName, 'reader' | 'data' | 'management' | 'token'>> = {
  authorizer: 'reader',
  discovery: 'reader',
  users: 'data',
  groups: 'data',
  bulk: 'data',
  maintenance: 'data',
  management: 'management',
  token: 'token',
};

/** Props of {@link ScimPoolStack}. */
export interface ScimPoolStackProps extends StackProps {
  /** The pool's name (TENANT_NAME_PATTERN): part of every physical name. */
  readonly pool: string;
  /**
   * The pool's validated configuration.
   * @default parsePoolConfig({})
   */
  readonly config?: PoolConfig;
  /**
   * Handler entry files by function; tests point them at a fixture.
   * @default DEFAULT_POOL_ENTRIES
   */
  readonly functionEntries?: Partial<Record<PoolFunctionName | FeedFunctionName, string>>;
}

/** The stack name of a pool. */
export function poolStackName(pool: string): string {
  return `ScimPool-${pool}`;
}

/**
 * The custom metrics' `tenant` dimension value of a pool. Per-tenant dimension values would be a
 * billed custom metric per tenant and metric (~$0.30 a month each: 10,000 tenants x 6 metrics is
 * $18,000 a month), so the pool's functions publish one series for the whole pool, and the
 * per-tenant view comes from the logs (every line carries `tenant`) through Contributor Insights
 * rules, whose price does not grow with the number of tenants. A dot: no tenant name holds one, so
 * a pool's series never mixes with a silo tenant's.
 */
export function poolMetricsTenant(pool: string): string {
  return `pool.${pool}`;
}

/** The API Gateway response for a tenant whose usage key is missing (its enable did not finish): retry later. */
const USAGE_KEY_MISSING = {
  type: 'INVALID_API_KEY',
  statusCode: 503,
  headers: { 'Content-Type': 'application/scim+json', 'Retry-After': '5' },
  body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: 'the tenant is being set up; retry shortly' }),
};

/**
 * One stack for many tenants: one table (each tenant under its key prefix), one REST API whose
 * SCIM routes are `/t/{tenant}/scim/v2/...` behind the pooled REQUEST authorizer (the tenant comes
 * from the token; the Allow policy covers only that tenant's routes), a usage plan throttling each
 * tenant on its own API key (the authorizer returns it as the usage identifier), the management API
 * at `/manage/...` behind AWS_IAM (SigV4; SCIM tokens never reach it), the maintenance job for every
 * tenant on one schedule, and the pool's alarms, dashboard and per-tenant Contributor Insights
 * rules. Enabling a tenant adds items and one API key, never a resource of this stack.
 */
export class ScimPoolStack extends Stack {
  /** The pool's name. */
  public readonly pool: string;
  /** The shared table. */
  public readonly table: ScimTable;
  /** The functions by name. */
  public readonly functions: Readonly<Record<PoolFunctionName, NodejsFunction>>;
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The usage plan every tenant's API key joins. */
  public readonly usagePlan: apigateway.UsagePlan;
  /** The managed policy a vendor's backend role needs to call the management API. */
  public readonly managementPolicy: iam.ManagedPolicy;
  /** Contributor Insights rules over the access log: requests, 4xx, 5xx and 429 by tenant. */
  public readonly tenantInsightRules: Readonly<Record<'requests' | 'clientErrors' | 'serverErrors' | 'throttled', cloudwatch.CfnInsightRule>>;
  /** The pool's dashboard and alarms. */
  public readonly dashboard: ScimDashboard;
  /** Every tenant's change feed: stream handler, bus, GET /t/{tenant}/events, per-tenant webhooks. */
  public readonly changeFeed: ScimChangeFeed;
  /** The key signing every tenant's OAuth access tokens (RSA 2048; only the token function signs). */
  public readonly signingKey: kms.Key;

  constructor(scope: Construct, id: string, props: ScimPoolStackProps) {
    if (!isPoolName(props.pool)) throw new Error(`invalid pool name "${props.pool}": expected ${TENANT_NAME_PATTERN}`);
    super(scope, id, { stackName: poolStackName(props.pool), description: `Serverless SCIM 2.0 endpoint for the tenants of pool ${props.pool}`, ...props });
    const pool = props.pool;
    const config = props.config ?? parsePoolConfig({});
    this.pool = pool;
    Tags.of(this).add('scim:pool', pool);
    Tags.of(this).add('app', 'serverless-scim');
    const retention = config.logRetentionDays as logs.RetentionDays;
    const name = (suffix: string): string => `scim-pool-${pool}-${suffix}`;

    this.table = new ScimTable(this, 'Table', { tableName: `scim-pool-${pool}` });
    const table = this.table.table;

    // ---- API (first: the management function needs the usage plan's id)
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: name('api'),
      description: `SCIM 2.0 service provider for the tenants of pool ${pool}`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      // The usage plan meters the key the authorizer returns (one per tenant), not a client header.
      apiKeySourceType: apigateway.ApiKeySourceType.AUTHORIZER,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: config.stageThrottling.rateLimit,
        throttlingBurstLimit: config.stageThrottling.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: config.tracing,
        // The unauthenticated token route of every tenant, well below the stage: it bounds how fast
        // anyone can guess client secrets or replay assertions, whatever the source IPs.
        methodOptions: { [`/${poolTokenRoute('{tenant}')}/*`]: { throttlingRateLimit: POOL_TOKEN_ROUTE_LIMITS.rateLimit, throttlingBurstLimit: POOL_TOKEN_ROUTE_LIMITS.burstLimit } },
      },
    });
    this.api.node.tryRemoveChild('Endpoint');
    addScimGatewayResponses(this.api, [...SCIM_GATEWAY_RESPONSE_SPECS, USAGE_KEY_MISSING]);
    const usagePlanName = name('tenants');
    this.usagePlan = this.api.addUsagePlan('TenantPlan', {
      name: usagePlanName,
      description: 'Every tenant of the pool has an API key in this plan: the throttle applies per tenant.',
      throttle: { rateLimit: config.tenantThrottling.rateLimit, burstLimit: config.tenantThrottling.burstLimit },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });

    // ---- functions
    const roles = {} as Record<(typeof POOL_ROLE_OF)[PoolFunctionName], iam.Role>;
    for (const group of new Set(Object.values(POOL_ROLE_OF))) {
      roles[group] = new iam.Role(this, `${pascal(group)}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `SCIM pool ${pool}: ${group} functions`,
      });
    }
    const common: Record<string, string> = {
      TABLE_NAME: table.tableName,
      POWERTOOLS_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      [METRICS_DETAIL_ENV]: config.metricsDetail,
      [METRICS_TENANT_ENV]: poolMetricsTenant(pool),
    };
    const functions = {} as Record<PoolFunctionName, NodejsFunction>;
    for (const fnName of POOL_FUNCTION_NAMES) {
      const logGroup = new logs.LogGroup(this, `${pascal(fnName)}LogGroup`, { retention, removalPolicy: RemovalPolicy.DESTROY });
      const role = roles[POOL_ROLE_OF[fnName]];
      logGroup.grantWrite(role);
      functions[fnName] = new NodejsFunction(this, `${pascal(fnName)}Function`, {
        entry: props.functionEntries?.[fnName] ?? DEFAULT_POOL_ENTRIES[fnName],
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: fnName === 'bulk' ? (config.bulkMemoryMb ?? BULK_FUNCTION_MEMORY_MB) : DEFAULT_FUNCTION_MEMORY_MB,
        timeout: Duration.seconds(fnName === 'management' ? POOL_MANAGEMENT_TIMEOUT_SECONDS : fnName === 'token' ? TOKEN_FUNCTION_TIMEOUT_SECONDS : FUNCTION_TIMEOUT_SECONDS[fnName]),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        tracing: config.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
        description: `SCIM pool ${pool}: ${fnName}`,
        // The shared scheduler role may invoke `scim-*-maintenance` only; `pool_` keeps the name apart
        // from every silo tenant's (tenant names hold no `_`).
        ...(fnName === 'maintenance' ? { functionName: maintenanceFunctionName(`pool_${pool}`) } : {}),
        // The plan by name, not by id: an id reference would make the function depend on the stage,
        // which depends on the deployment of the methods that invoke this function (a cycle).
        environment: {
          ...common,
          ...(fnName === 'management' ? { USAGE_PLAN_NAME: usagePlanName } : {}),
          // Password hashes run on libuv's pool: one thread per vCPU the memory buys (threadPoolSize).
          ...(fnName === 'bulk' ? { UV_THREADPOOL_SIZE: String(threadPoolSize(config.bulkMemoryMb ?? BULK_FUNCTION_MEMORY_MB)) } : {}),
        },
        bundling: { ...FUNCTION_BUNDLING, externalModules: [...FUNCTION_BUNDLING.externalModules] },
      });
    }
    this.functions = functions;
    // Token, tenant, configuration and OAuth client records: GetItem on the base table only (no index).
    roles.reader.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    roles.token.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));

    // ---- OAuth: one signing key for every tenant; each token names its tenant in iss, aud and
    // `tenant`, which the authorizer checks against what the key signed, never against the URL.
    this.signingKey = createSigningKey(this, 'OAuthSigningKey', {
      description: `Signs OAuth access tokens of the tenants of SCIM pool ${pool}`,
      alias: `alias/scim-pool-${pool}-oauth`,
      signer: roles.token,
    });
    this.signingKey.grant(functions.token, 'kms:Sign');
    // The authorizer verifies with the public key: one GetPublicKey per container, no signing.
    this.signingKey.grant(functions.authorizer, 'kms:GetPublicKey');
    functions.authorizer.addEnvironment('OAUTH_KEY_ARN', this.signingKey.keyArn);
    functions.token.addEnvironment('OAUTH_KEY_ARN', this.signingKey.keyArn);
    table.grant(roles.data, ...STORE_ACTIONS);
    table.grant(roles.management, ...STORE_ACTIONS);
    // The tenant's usage key: made on enable, deleted with the tenant (lambdas/pool/management/usageKeys.ts).
    const apigw = (p: string): string => `arn:${this.partition}:apigateway:${this.region}::${p}`;
    roles.management.addToPolicy(new iam.PolicyStatement({ actions: ['apigateway:POST'], resources: [apigw('/apikeys'), apigw('/usageplans/*/keys')] }));
    roles.management.addToPolicy(new iam.PolicyStatement({ actions: ['apigateway:GET'], resources: [apigw('/apikeys'), apigw('/usageplans')] }));
    roles.management.addToPolicy(new iam.PolicyStatement({ actions: ['apigateway:DELETE'], resources: [apigw('/apikeys/*')] }));

    // ---- routes
    const authorizer = new apigateway.RequestAuthorizer(this, 'Authorizer', {
      handler: functions.authorizer,
      identitySources: [apigateway.IdentitySource.header('Authorization')],
      // Keyed by the token alone: the policy it returns covers the token's own tenant's routes only.
      resultsCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
      authorizerName: name('bearer'),
    });
    const integration = (fn: lambda.IFunction): apigateway.LambdaIntegration => new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
    const tenantRoot = this.api.root.addResource('t').addResource('{tenant}');
    const v2 = SCIM_BASE_PATH.split('/').reduce((parent, part) => parent.addResource(part), tenantRoot);
    const scimMethodOptions: apigateway.MethodOptions = { authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM, apiKeyRequired: true };
    addScimRoutes(
      v2,
      { users: integration(functions.users), groups: integration(functions.groups), discovery: integration(functions.discovery), bulk: integration(functions.bulk) },
      scimMethodOptions,
    );
    // ANY, so a GET gets the handler's RFC 6749 405 rather than API Gateway's 403; NONE, because the
    // client authenticates inside the request; no API key: the usage plan meters SCIM calls, and a
    // token request names a tenant nobody has vouched for yet.
    poolTokenRoute('{tenant}')
      .split('/')
      .slice(2)
      .reduce((parent, part) => parent.addResource(part), tenantRoot)
      .addMethod('ANY', integration(functions.token), { authorizationType: apigateway.AuthorizationType.NONE });
    const manage = this.api.root.addResource('manage').addResource('{proxy+}');
    manage.addMethod('ANY', integration(functions.management), { authorizationType: apigateway.AuthorizationType.IAM });

    this.managementPolicy = new iam.ManagedPolicy(this, 'ManagementInvokePolicy', {
      description: `Lets the vendor's backend call the management API of SCIM pool ${pool} (attach to its role)`,
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.api.arnForExecuteApi('*', '/manage/*', this.api.deploymentStage.stageName)] })],
    });

    // ---- maintenance: one schedule for every tenant
    new scheduler.CfnSchedule(this, 'MaintenanceSchedule', {
      description: `Finishes deferred group deletions of every tenant of pool ${pool}`,
      scheduleExpression: maintenanceScheduleExpression(),
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: { arn: functions.maintenance.functionArn, roleArn: schedulerRoleArn(), retryPolicy: { maximumRetryAttempts: 0 } },
    });

    // ---- per-tenant observability from the access log (it sees the usage plan's 429s too, which
    // never reach a function): Contributor Insights, billed per rule and matched line, not per tenant.
    const rule = (signal: PoolTenantSignal, filters: Record<string, unknown>[]): cloudwatch.CfnInsightRule =>
      new cloudwatch.CfnInsightRule(this, `${pascal(POOL_TENANT_SIGNALS[signal])}ByTenantRule`, {
        ruleName: poolTenantRuleName(pool, signal),
        ruleState: 'ENABLED',
        ruleBody: JSON.stringify({
          Schema: { Name: 'CloudWatchLogRule', Version: 1 },
          LogGroupNames: [accessLogs.logGroupName],
          LogFormat: 'JSON',
          Contribution: { Keys: ['$.tenant'], Filters: [{ Match: '$.tenant', IsPresent: true }, ...filters] },
          AggregateOn: 'Count',
        }),
      });
    this.tenantInsightRules = {
      requests: rule('requests', []),
      clientErrors: rule('clientErrors', [{ Match: '$.status', StartsWith: ['4'] }]),
      serverErrors: rule('serverErrors', [{ Match: '$.status', StartsWith: ['5'] }]),
      throttled: rule('throttled', [{ Match: '$.status', In: ['429'] }]),
    };
    new logs.QueryDefinition(this, 'TenantRequestsQuery', {
      queryDefinitionName: `${name('tenant-requests')}`,
      queryString: new logs.QueryString({
        // `requestTenant`: in a pool's function logs `tenant` is the metrics dimension (the pool).
        fields: ['@timestamp', 'requestTenant', 'tokenId', 'operation', 'status', 'scimType', 'resourceId', 'durationMs'],
        filterStatements: ['message = "request"', 'requestTenant = "REPLACE_WITH_TENANT"'],
        sort: '@timestamp desc',
        limit: 200,
      }),
      logGroups: [functions.users.logGroup, functions.groups.logGroup, functions.bulk.logGroup, functions.discovery.logGroup],
    });

    // ---- change feed: one stream handler for every tenant; webhooks per tenant at run time
    this.changeFeed = new ScimChangeFeed(this, 'ChangeFeed', {
      tenant: pool,
      table,
      api: this.api,
      bus: config.changeFeed.bus === 'pool' ? 'tenant' : 'default',
      payload: config.changeFeed.payload,
      eventLogRetentionDays: config.changeFeed.eventLogRetentionDays,
      entries: props.functionEntries,
      logRetention: retention,
      tracing: config.tracing,
      pool: { eventsParent: tenantRoot, methodOptions: scimMethodOptions, metricsTenant: poolMetricsTenant(pool), webhooks: config.changeFeed.webhooks },
    });
    if (this.changeFeed.webhookKey) {
      // The management API seals tenants' webhook secrets; only the delivery function opens them.
      functions.management.addEnvironment('WEBHOOK_KEY_ARN', this.changeFeed.webhookKey.keyArn);
      // Encrypt only (grantEncrypt would add ReEncrypt* and GenerateDataKey*, which sealing never needs).
      roles.management.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Encrypt'], resources: [this.changeFeed.webhookKey.keyArn] }));
    }

    this.dashboard = new ScimDashboard(this, 'Dashboard', {
      tenant: poolMetricsTenant(pool),
      dashboardName: name('dashboard'),
      api: this.api,
      functions,
      table,
      alarmEmail: config.alarmEmail,
    });
    this.dashboard.dashboard?.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tenants sending requests / errors (Contributor Insights, unique tenants per 5 minutes)',
        width: 24,
        left: (['requests', 'serverErrors', 'throttled'] as const).map(
          (k) =>
            new cloudwatch.MathExpression({
              expression: `INSIGHT_RULE_METRIC('${poolTenantRuleName(pool, k)}', 'UniqueContributors')`,
              label: `${k} (tenants)`,
              period: Duration.minutes(5),
              usingMetrics: {},
            }),
        ),
      }),
    );

    // The token endpoint's alarm, on the pool's one series (the tenant is in the log lines).
    const oauthMetric = (metricName: string) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [METRIC_DIMENSIONS.tenant]: poolMetricsTenant(pool) }, statistic: 'Sum', period: Duration.minutes(5) });
    const tokenErrors = new cloudwatch.Alarm(this, 'OAuthTokenErrorsAlarm', {
      alarmName: name('oauth-token-errors'),
      alarmDescription: 'The pool\'s token endpoint could not issue tokens (KMS, the table or an issuer JWKS failed): IdPs get 503 and stop syncing within the hour.',
      metric: oauthMetric(OAUTH_METRIC.errors),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        { id: 'AwsSolutions-APIG2', reason: 'Request bodies are validated by the handlers against SCIM schemas that include tenant-defined extensions; an API Gateway model cannot express them and would answer in a non-SCIM format.' },
        { id: 'AwsSolutions-COG4', reason: 'IdPs authenticate with a SCIM bearer token verified by the REQUEST authorizer; the management routes use AWS_IAM (SigV4), not Cognito.' },
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Every SCIM method uses the pooled REQUEST authorizer and the management routes AWS_IAM; the OAuth token route of each tenant authenticates the client inside the request (RFC 6749 §2.3 client secret or RFC 7523 assertion) and is method-throttled.',
        },
        { id: 'AwsSolutions-APIG6', reason: 'Execution logging needs the account-wide API Gateway CloudWatch role, which this stack must not own; JSON access logs (APIG1) and the functions\u2019 logs cover each request.' },
        {
          id: 'AwsSolutions-APIG3',
          reason:
            'A per-IP WAF rate rule would throttle together every tenant whose IdP shares egress IPs (Entra, Okta): the pool throttles per tenant with the usage plan instead, and the stage throttle bounds the whole pool.',
        },
      ],
      true,
    );
    for (const fn of Object.values(functions)) {
      NagSuppressions.addResourceSuppressions(fn, [{ id: 'AwsSolutions-L1', reason: 'Pinned to nodejs22.x on purpose: esbuild targets node22 and the handlers are tested on it.' }]);
    }
    for (const group of ['data', 'management'] as const) {
      NagSuppressions.addResourceSuppressions(
        roles[group],
        [{ id: 'AwsSolutions-IAM5', reason: 'The table grant adds <table>/index/*: the store queries the indexes of this one table; the wildcard never leaves the table.', appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/index\\/\\*$/g' }] }],
        true,
      );
    }
    NagSuppressions.addResourceSuppressions(
      roles.management,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'API keys and usage plans get generated ids, and referencing the plan\u2019s id here would be a dependency cycle (plan -> stage -> deployment -> this function): keys are deleted by /apikeys/*, joined to the plan by /usageplans/*/keys.',
          appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::\\/(apikeys|usageplans)\\/\\*.*$/g' }],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      this.managementPolicy,
      [{ id: 'AwsSolutions-IAM5', reason: 'Every management route of this one API stage (/manage/*), and nothing else: the routes are a proxy resource.' }],
      true,
    );
    if (config.tracing) {
      for (const role of Object.values(roles)) {
        NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM5', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.', appliesTo: ['Resource::*'] }], true);
      }
    }

    const alarmAction = new cwActions.SnsAction(this.dashboard.alarmTopic);
    for (const alarm of [...Object.values(this.changeFeed.alarms), tokenErrors]) {
      alarm.addAlarmAction(alarmAction);
      alarm.addOkAction(alarmAction);
    }

    new CfnOutput(this, 'PoolBaseUrl', { value: this.api.deploymentStage.urlForPath('/'), description: 'Stage URL: tenants are at <this>t/<tenant>/scim/v2, the management API at <this>manage/' });
    new CfnOutput(this, 'ManagementPolicyArn', { value: this.managementPolicy.managedPolicyArn, description: 'Attach to the backend role that enables tenants' });
    new CfnOutput(this, 'UsagePlanId', { value: this.usagePlan.usagePlanId, description: 'The usage plan of the tenants\u2019 API keys' });
    new CfnOutput(this, 'TokenEndpointUrlPattern', { value: this.api.deploymentStage.urlForPath(`/${poolTokenRoute('TENANT')}`), description: 'Each tenant\'s OAuth token endpoint: replace TENANT (the management API answers it per tenant)' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The shared table' });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.dashboardUrl, description: 'CloudWatch dashboard of the pool' });
    // What the vendor's app consumes (README "Consuming changes", docs/pool.md "Change events").
    new CfnOutput(this, 'TableStreamArn', { value: table.tableStreamArn ?? '', description: 'The table stream (new and old images)' });
    new CfnOutput(this, 'EventBusName', { value: this.changeFeed.eventBus.eventBusName, description: 'EventBridge bus of every tenant\'s change events (source serverless-scim; route by detail.tenant)' });
    new CfnOutput(this, 'EventsEndpoint', { value: `${this.api.deploymentStage.urlForPath('/')}t/<tenant>/events`, description: 'GET /t/<tenant>/events pull API (token scope events:read of that tenant)' });
    if (this.changeFeed.webhookQueue) {
      new CfnOutput(this, 'WebhookQueueName', { value: this.changeFeed.webhookQueue.queueName, description: 'Webhook deliveries of every tenant (set per tenant: PUT /manage/tenants/<t>/webhook)' });
    }
  }
}

function pascal(name: string): string {
  return name
    .split('-')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
