#!/usr/bin/env node
// The CDK app. `-c tenant=<name>` synthesizes that tenant alone; `-c tenants=a,b,c` those tenants;
// neither synthesizes the fleet: the ops stack and every config/tenants/*.json, so that
// `npx cdk deploy --all --concurrency N` deploys or upgrades all of them.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildFleet } from '../lib/buildFleet';
import { resolveFleet, TenantContextError, type ResolvedFleet } from './tenantConfig';

const app = new App();
let plan: ResolvedFleet;
try {
  plan = resolveFleet({
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
buildFleet(app, plan);
// The same checks as the tests: a finding fails `cdk synth` too.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
