#!/usr/bin/env node
// The CDK app. `-c tenant=<name>` synthesizes that tenant alone; `-c tenants=a,b,c` those tenants;
// neither synthesizes the fleet: the ops stack and every config/tenants/*.json, so that
// `npx cdk deploy --all --concurrency N` deploys or upgrades all of them. `-c pool=<name>` synthesizes
// one pooled stack (config/pools/<name>.json), whose tenants are enabled at run time.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildFleet } from '../lib/buildFleet';
import { poolStackName, ScimPoolStack } from '../lib/ScimPoolStack';
import { resolveFleet, resolvePool, TenantContextError, type ResolvedFleet, type ResolvedPool } from './tenantConfig';

const app = new App();
let plan: ResolvedFleet | undefined;
let pool: ResolvedPool | undefined;
try {
  const poolName: unknown = app.node.tryGetContext('pool');
  if (poolName !== undefined) pool = resolvePool({ pool: poolName, tenant: app.node.tryGetContext('tenant'), tenants: app.node.tryGetContext('tenants') });
  else plan = resolveFleet({
    tenant: app.node.tryGetContext('tenant'),
    tenants: app.node.tryGetContext('tenants'),
    config: app.node.tryGetContext('config'),
  });
} catch (e) {
  if (!(e instanceof TenantContextError)) throw e;
  // An operator mistake, not a bug: the message says what to do, a stack trace would bury it.
  console.error(e.message);
  process.exit(1);
}
// No `env`: the stacks are environment-agnostic, so `cdk synth` needs no credentials; `cdk deploy`
// targets the account and region of the caller's profile.
if (pool) new ScimPoolStack(app, poolStackName(pool.pool), { pool: pool.pool, config: pool.config });
else if (plan) buildFleet(app, plan);
// The same checks as the tests: a finding fails `cdk synth` too.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
