import type { App } from 'aws-cdk-lib';
import type { OpsConfig } from './opsConfig';
import { ScimOpsStack } from './ScimOpsStack';
import type { ScimFunctionName } from './ScimFunctions';
import { ScimTenantStack, tenantStackName } from './ScimTenantStack';
import type { TenantConfig } from './tenantConfig';

/** What one `cdk` invocation synthesizes: the ops stack (fleet mode) and some tenants. */
export interface FleetPlan {
  /** The ops stack's configuration; absent when only named tenants are synthesized. */
  readonly ops?: OpsConfig;
  /** The tenants, each with its validated configuration. */
  readonly tenants: ReadonlyArray<{ readonly tenant: string; readonly config: TenantConfig }>;
}

/** The stacks {@link buildFleet} created. */
export interface Fleet {
  /** The ops stack, when the plan has one. */
  readonly ops?: ScimOpsStack;
  /** The tenant stacks, in plan order. */
  readonly tenants: readonly ScimTenantStack[];
}

/**
 * Adds the plan's stacks to `app`. With the ops stack in the plan, every tenant stack depends on
 * it, so `cdk deploy --all --concurrency N` deploys the ops stack first and then N tenants at a
 * time. The dependency is an ordering only: tenants read nothing from its outputs.
 */
export function buildFleet(app: App, plan: FleetPlan, functionEntries?: Partial<Record<ScimFunctionName, string>>): Fleet {
  const ops = plan.ops ? new ScimOpsStack(app, 'ScimOps', { config: plan.ops }) : undefined;
  const tenants = plan.tenants.map(({ tenant, config }) => {
    const stack = new ScimTenantStack(app, tenantStackName(tenant), { tenant, config, functionEntries });
    if (ops) stack.addDependency(ops, 'the shared alarm topic, scheduler role and web ACL exist before any tenant uses them');
    return stack;
  });
  return { ops, tenants };
}
