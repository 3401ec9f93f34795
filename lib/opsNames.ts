import { Aws } from 'aws-cdk-lib';

/**
 * Stable names of what the shared ops stack (one per account and Region) holds. Tenant stacks find
 * these by name or by an ARN built from the name, never through CloudFormation exports: an export
 * cannot change while another stack imports it, so one tenant could block every ops update.
 */
export const OPS_NAMES = {
  /** The ops stack. */
  stackName: 'ScimOps',
  /** The SNS topic every SCIM alarm of the account and Region notifies. */
  alarmTopic: 'scim-ops-alarms',
  /**
   * Alias of the KMS key that encrypts every SCIM alarm topic of the account and Region (the ops
   * topic and a tenant's own): CloudWatch cannot publish to a topic under the AWS-managed SNS key.
   */
  alarmKeyAlias: 'alias/scim-ops-alarms',
  /** The CloudWatch Logs resource policy letting WAF deliver to every SCIM web ACL's log group. */
  wafLogsPolicy: 'scim-waf-logs',
  /** The fleet dashboard (top tenants by errors, latency, throttles, denials). */
  fleetDashboard: 'scim-fleet',
  /** SSM parameter holding the shared web ACL's ARN (WAFv2 ARNs carry a generated id, so no fixed ARN). */
  webAclArnParameter: '/scim/ops/web-acl-arn',
  /** Prefix of the fleet alarms' names. */
  alarmPrefix: 'scim-fleet-',
} as const;

/**
 * The tag every change-feed dead-letter queue carries (the stream's and the webhooks', of every
 * tenant stack and pool): the ops stack's fleet alarm selects the queues by it. Metrics Insights
 * filters labels by `=` and `!=` only (no name pattern), so a tag, not the `scim-*-dlq` names, is
 * what one query over AWS/SQS can match without a per-tenant alarm.
 */
export const FEED_DEAD_LETTER_TAG = { key: 'ScimFeedQueue', value: 'dead-letter' } as const;

/**
 * The IAM role EventBridge Scheduler assumes to start every tenant's maintenance function. IAM is
 * global, so the name carries the Region: one ops stack per Region, each with its own role.
 */
export function schedulerRoleName(region: string = Aws.REGION): string {
  return `scim-ops-scheduler-${region}`;
}

/**
 * The maintenance function's fixed name: the shared scheduler role may invoke exactly the functions
 * matching `scim-*-maintenance` (MAINTENANCE_FUNCTION_PATTERN), so the name must be known.
 */
export function maintenanceFunctionName(tenant: string): string {
  return `scim-${tenant}-maintenance`;
}

/** The function-name pattern the scheduler role may invoke. */
export const MAINTENANCE_FUNCTION_PATTERN = 'scim-*-maintenance';

/** ARN of the shared alarm topic in the deploying account and Region. */
export function alarmTopicArn(): string {
  return `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:${OPS_NAMES.alarmTopic}`;
}

/** ARN of the shared scheduler role in the deploying account. */
export function schedulerRoleArn(): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${schedulerRoleName()}`;
}

/** Console URL of a CloudWatch dashboard in the deploying Region. */
export function dashboardUrl(name: string, region: string = Aws.REGION): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${name}`;
}

/**
 * The per-tenant signals of a pool, each a Contributor Insights rule over its access log keyed by
 * `tenant` (ScimPoolStack creates them; the ops stack's fleet dashboard reads them by name).
 */
export const POOL_TENANT_SIGNALS = {
  requests: 'requests',
  clientErrors: 'client-errors',
  serverErrors: 'server-errors',
  throttled: 'throttled',
} as const;

/** One per-tenant signal of a pool. */
export type PoolTenantSignal = keyof typeof POOL_TENANT_SIGNALS;

/** The Contributor Insights rule ranking a pool's tenants by one signal: `scim-pool-<pool>-<signal>-by-tenant`. */
export function poolTenantRuleName(pool: string, signal: PoolTenantSignal): string {
  return `scim-pool-${pool}-${POOL_TENANT_SIGNALS[signal]}-by-tenant`;
}
