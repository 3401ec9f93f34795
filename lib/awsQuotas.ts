import { LAMBDA_CONCURRENCY } from '../lambdas/contracts/awsLimits';

/**
 * The AWS quotas that bound how many tenants one account and Region holds, as AWS's service-quota
 * pages published them when last checked (AWS_QUOTAS_CHECKED). Defaults, not promises: check the
 * Service Quotas console of your account, where raised values show.
 */
export const AWS_QUOTAS_CHECKED = '2026-12-01';

/** One quota and what counts against it. */
export interface AwsQuota {
  /** Human-readable name, as in the Service Quotas console. */
  readonly name: string;
  /** The CloudFormation resource type counted against it; `AWS::CloudFormation::Stack` counts stacks. */
  readonly resourceType: string;
  /** Where it applies: per account (IAM is global) or per account and Region. */
  readonly scope: 'account' | 'region';
  /** The default value. */
  readonly default: number;
  /** Whether a quota increase can be requested. */
  readonly adjustable: boolean;
  /** Instances used once per account (or Region) whatever the fleet size: CDK bootstrap, the ops stack. */
  readonly overhead: number;
}

/**
 * Not a resource type: what countResources reports as the sum of the functions'
 * ReservedConcurrentExecutions, counted against Lambda's concurrency quota.
 */
export const RESERVED_CONCURRENCY_COUNT = 'AWS::Lambda::Function.ReservedConcurrentExecutions';

/** The quotas a tenant stack counts against (AWS documentation, AWS_QUOTAS_CHECKED). */
export const AWS_QUOTAS: readonly AwsQuota[] = [
  // IAM quotas: 1,000 roles per account, adjustable (to 5,000). Overhead: the 5 roles of `cdk
  // bootstrap` per Region and the ops stack's scheduler role.
  { name: 'IAM roles per account', resourceType: 'AWS::IAM::Role', scope: 'account', default: 1_000, adjustable: true, overhead: 6 },
  // API Gateway: 600 Regional REST APIs per Region, not adjustable. This is the hard ceiling.
  { name: 'Regional REST APIs per Region', resourceType: 'AWS::ApiGateway::RestApi', scope: 'region', default: 600, adjustable: false, overhead: 0 },
  // EventBridge: 300 rules per event bus (adjustable); tenants now schedule through Scheduler instead.
  { name: 'EventBridge rules per event bus', resourceType: 'AWS::Events::Rule', scope: 'region', default: 300, adjustable: true, overhead: 0 },
  { name: 'EventBridge Scheduler schedules per Region', resourceType: 'AWS::Scheduler::Schedule', scope: 'region', default: 1_000_000, adjustable: true, overhead: 0 },
  { name: 'DynamoDB tables per Region', resourceType: 'AWS::DynamoDB::Table', scope: 'region', default: 2_500, adjustable: true, overhead: 0 },
  { name: 'CloudFormation stacks per Region', resourceType: 'AWS::CloudFormation::Stack', scope: 'region', default: 2_000, adjustable: true, overhead: 2 },
  { name: 'WAF web ACLs per Region', resourceType: 'AWS::WAFv2::WebACL', scope: 'region', default: 100, adjustable: true, overhead: 1 },
  { name: 'WAF IP sets per Region', resourceType: 'AWS::WAFv2::IPSet', scope: 'region', default: 100, adjustable: true, overhead: 2 },
  { name: 'Secrets Manager secrets per Region', resourceType: 'AWS::SecretsManager::Secret', scope: 'region', default: 500_000, adjustable: true, overhead: 0 },
  { name: 'SNS standard topics per Region', resourceType: 'AWS::SNS::Topic', scope: 'region', default: 100_000, adjustable: true, overhead: 1 },
  // Lambda: 1,000 concurrent executions per Region (adjustable, to tens of thousands); reservations
  // may take all but 100 of it. Counted: each tenant's reserved concurrency (DEFAULT_RESERVED_CONCURRENCY).
  { name: 'Lambda concurrency reservable per Region', resourceType: RESERVED_CONCURRENCY_COUNT, scope: 'region', default: LAMBDA_CONCURRENCY.accountDefault, adjustable: true, overhead: LAMBDA_CONCURRENCY.unreservedMinimum },
  { name: 'SSM standard parameters per Region', resourceType: 'AWS::SSM::Parameter', scope: 'region', default: 10_000, adjustable: false, overhead: 1 },
];

/** One quota's use by one tenant and the tenants it allows. */
export interface QuotaUse {
  /** The quota. */
  readonly quota: AwsQuota;
  /** Instances one tenant stack adds. */
  readonly perTenant: number;
  /** Tenants the default quota allows (Infinity when a tenant adds none). */
  readonly tenants: number;
}

/**
 * What one tenant template uses of each quota, and how many tenants each allows. `counts` maps a
 * resource type to its instances in the tenant template; each tenant is also one stack.
 */
export function quotaUse(counts: Readonly<Record<string, number>>): QuotaUse[] {
  return AWS_QUOTAS.map((quota) => {
    const perTenant = quota.resourceType === 'AWS::CloudFormation::Stack' ? 1 : (counts[quota.resourceType] ?? 0);
    return { quota, perTenant, tenants: perTenant === 0 ? Infinity : Math.floor((quota.default - quota.overhead) / perTenant) };
  });
}

/**
 * Resource counts of a synthesized template, by type, and the functions' reserved concurrency in
 * all (RESERVED_CONCURRENCY_COUNT).
 */
export function countResources(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(template.Resources ?? {})) {
    counts[r.Type] = (counts[r.Type] ?? 0) + 1;
    const reserved = r.Type === 'AWS::Lambda::Function' ? r.Properties?.ReservedConcurrentExecutions : undefined;
    if (typeof reserved === 'number') counts[RESERVED_CONCURRENCY_COUNT] = (counts[RESERVED_CONCURRENCY_COUNT] ?? 0) + reserved;
  }
  return counts;
}
