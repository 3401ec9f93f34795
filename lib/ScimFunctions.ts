import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { METRICS_DETAIL_ENV, METRICS_NAMESPACE, type MetricsDetail } from '../lambdas/contracts/metricNames';
import { FUNCTION_BUNDLING } from './functionBundling';
import {
  BULK_FUNCTION_MEMORY_MB,
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_RESERVED_CONCURRENCY,
  FUNCTION_NAMES,
  FUNCTION_TIMEOUT_SECONDS,
  threadPoolSize,
  type FunctionName,
} from '../lambdas/contracts/awsLimits';
import { maintenanceFunctionName, schedulerRoleArn } from './opsNames';
import { maintenanceScheduleExpression } from '../lambdas/contracts/schedules';


/** The DynamoDB actions the store's request paths call, and nothing else (no Scan, no stream reads). */
export const STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
/** The stack's Lambda functions, one per concern. */
export const SCIM_FUNCTION_NAMES = FUNCTION_NAMES;

/** Name of one of the stack's functions. */
export type ScimFunctionName = FunctionName;

/** The repository root, where package-lock.json and lambdas/ live. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Default handler entry points (each exports `handler`). */
export const DEFAULT_FUNCTION_ENTRIES: Readonly<Record<ScimFunctionName, string>> = Object.fromEntries(
  SCIM_FUNCTION_NAMES.map((name) => [name, path.join(REPO_ROOT, 'lambdas', 'handlers', `${name}.ts`)]),
) as Record<ScimFunctionName, string>;

/** Powertools service name shared by every function (logs `service` field). */
export const POWERTOOLS_SERVICE_NAME = 'serverless-scim';

/**
 * Lambda caps all environment variables of a function at 4 KB together; SCIM_CONFIG gets most of
 * that budget, the rest is for TABLE_NAME, TENANT and the Powertools variables.
 */
export const MAX_SCIM_CONFIG_BYTES = 3_072;

/**
 * Which IAM role each function runs as. Functions whose code needs exactly the same permissions
 * share one: IAM allows 1,000 roles per account by default, and a role per function would stop a
 * fleet at 166 tenants. `data` functions use the table; the authorizer alone reads the secret;
 * discovery touches neither, so it keeps a role of its own rather than inherit table access.
 */
export const ROLE_OF: Readonly<Record<ScimFunctionName, 'authorizer' | 'data' | 'discovery'>> = {
  authorizer: 'authorizer',
  users: 'data',
  groups: 'data',
  bulk: 'data',
  maintenance: 'data',
  discovery: 'discovery',
};

/** Props of {@link ScimFunctions}. */
export interface ScimFunctionsProps {
  /** The tenant; set as TENANT on every function. */
  readonly tenant: string;
  /** The tenant's table: read/write for users, groups and bulk; nothing for the others. */
  readonly table: dynamodb.ITable;
  /** The token secret: read by the authorizer only. */
  readonly secret: secretsmanager.ISecret;
  /**
   * The tenant's SCIM configuration (custom extensions, page sizes), passed as JSON in SCIM_CONFIG
   * to the functions that answer SCIM requests.
   * @default {}
   */
  readonly scimConfig?: Readonly<Record<string, unknown>>;
  /**
   * Entry files, by function. Tests point them at a fixture so they do not depend on handlers.
   * @default DEFAULT_FUNCTION_ENTRIES (`lambdas/handlers/<name>.ts`)
   */
  readonly entries?: Partial<Record<ScimFunctionName, string>>;
  /**
   * Retention of each function's log group.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserved concurrency by function: a cap that keeps one tenant from starving the Region's
   * shared pool, e.g. with parallel bulk imports. A function absent here draws on the unreserved pool.
   * @default DEFAULT_RESERVED_CONCURRENCY (lambdas/contracts/awsLimits.ts: bulk 2)
   */
  readonly reservedConcurrency?: Partial<Record<ScimFunctionName, number>>;
  /**
   * Memory of every function but /Bulk (MB). More memory also means more CPU and faster cold starts.
   * @default DEFAULT_FUNCTION_MEMORY_MB (512)
   */
  readonly memorySize?: number;
  /**
   * Memory of the /Bulk function (MB): its CPU share bounds how many password hashes fit in one
   * BulkRequest (lambdas/contracts/awsLimits.ts).
   * @default BULK_FUNCTION_MEMORY_MB (8,845: 5 vCPU)
   */
  readonly bulkMemorySize?: number;
  /**
   * X-Ray active tracing.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Load the uploaded source maps at init (`NODE_OPTIONS=--enable-source-maps`), so stack traces
   * in the logs name TypeScript files and lines. Off by default: it adds tens of milliseconds to
   * every cold start; turn it on while investigating an error.
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * ARN of the role EventBridge Scheduler assumes to start the maintenance function: one role for
   * the whole account and Region, owned by the ops stack (lib/ScimOpsStack.ts).
   * @default schedulerRoleArn() (`scim-ops-scheduler-<region>` in the deploying account)
   */
  readonly schedulerRoleArn?: string;
  /**
   * Which custom metrics the functions emit (METRICS_DETAIL; lambdas/contracts/metricNames.ts METRIC_SETS).
   * @default 'minimal'
   */
  readonly metricsDetail?: MetricsDetail;
}

/**
 * One NodejsFunction per concern (authorizer, users, groups, discovery, bulk, maintenance), each
 * with its own log group, on three roles (ROLE_OF) whose every permission is explicit and scoped:
 * no AWS managed policy.
 */
export class ScimFunctions extends Construct {
  /** The REQUEST authorizer. */
  public readonly authorizer: NodejsFunction;
  /** `/Users`, `/Users/{id}`, `/Users/.search` and the root `/.search`. */
  public readonly users: NodejsFunction;
  /** `/Groups`, `/Groups/{id}`, `/Groups/.search`. */
  public readonly groups: NodejsFunction;
  /** `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas` and unknown paths. */
  public readonly discovery: NodejsFunction;
  /** `/Bulk`. */
  public readonly bulk: NodejsFunction;
  /** The scheduled job finishing deferred group deletions. */
  public readonly maintenance: NodejsFunction;
  /** All functions by name, for loops (dashboard, alarms). */
  public readonly functions: Readonly<Record<ScimFunctionName, NodejsFunction>>;
  /** Each function's log group, by name. */
  public readonly logGroups: Readonly<Record<ScimFunctionName, logs.LogGroup>>;
  /** The roles, by ROLE_OF group (fewer roles than functions: see ROLE_OF). */
  public readonly roles: Readonly<Record<(typeof ROLE_OF)[ScimFunctionName], iam.Role>>;
  /** The EventBridge Scheduler schedule that starts the maintenance function. */
  public readonly maintenanceSchedule: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: ScimFunctionsProps) {
    super(scope, id);
    const scimConfig = JSON.stringify(props.scimConfig ?? {});
    if (Buffer.byteLength(scimConfig) > MAX_SCIM_CONFIG_BYTES) {
      throw new Error(
        `The SCIM configuration of tenant "${props.tenant}" is ${Buffer.byteLength(scimConfig)} bytes as JSON; ` +
          `Lambda environment variables allow at most ${MAX_SCIM_CONFIG_BYTES} for it. Shorten the custom extensions' descriptions.`,
      );
    }
    const common: Record<string, string> = {
      TENANT: props.tenant,
      POWERTOOLS_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      [METRICS_DETAIL_ENV]: props.metricsDetail ?? 'minimal',
      // The source map is always uploaded (FUNCTION_BUNDLING); loading it is opt-in (cold start cost).
      ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    };
    const scim = { ...common, SCIM_CONFIG: scimConfig };
    const withTable = { ...scim, TABLE_NAME: props.table.tableName };
    const bulkMemory = props.bulkMemorySize ?? BULK_FUNCTION_MEMORY_MB;
    const environments: Record<ScimFunctionName, Record<string, string>> = {
      authorizer: { ...common, SECRET_ARN: props.secret.secretArn },
      users: withTable,
      groups: withTable,
      // Password hashes run on libuv's pool: one thread per vCPU the memory buys (threadPoolSize).
      bulk: { ...withTable, UV_THREADPOOL_SIZE: String(threadPoolSize(bulkMemory)) },
      maintenance: { ...common, TABLE_NAME: props.table.tableName },
      // Discovery documents come from code and SCIM_CONFIG only: no table, no TABLE_NAME.
      discovery: scim,
    };

    const functions = {} as Record<ScimFunctionName, NodejsFunction>;
    const logGroups = {} as Record<ScimFunctionName, logs.LogGroup>;
    const roles = {} as Record<(typeof ROLE_OF)[ScimFunctionName], iam.Role>;
    for (const group of new Set(Object.values(ROLE_OF))) {
      roles[group] = new iam.Role(this, `${pascal(group)}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `SCIM ${group} functions of tenant ${props.tenant}`,
      });
    }
    for (const name of SCIM_FUNCTION_NAMES) {
      // An explicit log group (instead of Lambda creating one on first write) gets a retention and
      // lets the role's permission name it, so no AWSLambdaBasicExecutionRole (logs:* on *).
      const logGroup = new logs.LogGroup(this, `${pascal(name)}LogGroup`, {
        retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        // Logs hold ids and statuses only (no personal data): no reason to outlive the stack.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = roles[ROLE_OF[name]];
      logGroup.grantWrite(role);
      const fn = new NodejsFunction(this, `${pascal(name)}Function`, {
        entry: props.entries?.[name] ?? DEFAULT_FUNCTION_ENTRIES[name],
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        // Graviton: ~20% cheaper per GB-second, and nothing here is x86-specific.
        architecture: lambda.Architecture.ARM_64,
        memorySize: name === 'bulk' ? bulkMemory : (props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB),
        // The same numbers the local server enforces (lambdas/local/localServer.ts).
        timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[name]),
        role,
        logGroup,
        // JSON lines from Powertools Logger; Lambda's own lines in the same format.
        loggingFormat: lambda.LoggingFormat.JSON,
        tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
        reservedConcurrentExecutions: (props.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY)[name],
        description: `SCIM ${name} (tenant ${props.tenant})`,
        // The shared scheduler role may invoke `scim-*-maintenance` only, so this name is fixed.
        ...(name === 'maintenance' ? { functionName: maintenanceFunctionName(props.tenant) } : {}),
        environment: environments[name],
        bundling: { ...FUNCTION_BUNDLING, externalModules: [...FUNCTION_BUNDLING.externalModules] },
      });
      functions[name] = fn;
      logGroups[name] = logGroup;
    }
    // Least privilege: each role gets exactly what its code calls, through grants.
    props.secret.grantRead(functions.authorizer);
    // Not grantReadWriteData: it adds Scan (no request path scans: docs/design.md access patterns),
    // stream reads (GetRecords, GetShardIterator: the change feed's job, not a request handler's)
    // and DescribeTable. These are the calls the store makes; TransactWriteItems is authorized
    // by the Put/Update/Delete/ConditionCheck actions it contains.
    for (const name of ['users', 'groups', 'bulk', 'maintenance'] as const) props.table.grant(functions[name], ...STORE_ACTIONS);
    // Deleting a group of 100,000 members defers part of its membership cleanup (invisible through the
    // API meanwhile); this schedule finishes it. An idle run costs one Query. EventBridge Scheduler
    // rather than a rule on the default bus: rules stop at 300 per bus (a fleet of 300 tenants),
    // schedules at 1,000,000 per account and Region; and the ops stack's one role starts them all,
    // so a tenant adds no role and no resource policy for it.
    this.maintenanceSchedule = new scheduler.CfnSchedule(this, 'MaintenanceSchedule', {
      description: `Finishes deferred group deletions of tenant ${props.tenant}`,
      // The same interval `npm start` runs the job on (lambdas/contracts/schedules.ts).
      scheduleExpression: maintenanceScheduleExpression(),
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: functions.maintenance.functionArn,
        roleArn: props.schedulerRoleArn ?? schedulerRoleArn(),
        // The next run comes MAINTENANCE_INTERVAL_MINUTES later and redoes whatever this one missed.
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });

    this.functions = functions;
    this.logGroups = logGroups;
    this.roles = roles;
    this.authorizer = functions.authorizer;
    this.users = functions.users;
    this.groups = functions.groups;
    this.discovery = functions.discovery;
    this.bulk = functions.bulk;
    this.maintenance = functions.maintenance;

    for (const fn of Object.values(functions)) {
      NagSuppressions.addResourceSuppressions(fn, [
        {
          id: 'AwsSolutions-L1',
          reason:
            'Pinned to nodejs22.x on purpose: esbuild targets node22 and the handlers are tested on it; moving to a newer runtime is a deliberate upgrade, not a drift.',
        },
      ]);
    }
    {
      NagSuppressions.addResourceSuppressions(
        roles.data,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'The table grant adds <table>/index/*: the store queries both GSIs of this one table (reverse membership, listing); the wildcard never leaves the table.',
            appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/index\\/\\*$/g' }],
          },
        ],
        true,
      );
    }
    if (props.tracing) {
      for (const role of Object.values(roles)) {
        NagSuppressions.addResourceSuppressions(
          role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions: Resource must be *.',
              appliesTo: ['Resource::*'],
            },
          ],
          true,
        );
      }
    }
  }
}

function pascal(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}
