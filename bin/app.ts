#!/usr/bin/env node
// The CDK app: one tenant stack per invocation, chosen with `-c tenant=<name>`.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ScimTenantStack, tenantStackName } from '../lib/ScimTenantStack';
import { resolveTenant, TenantContextError, type ResolvedTenant } from './tenantConfig';

const app = new App();
let resolved: ResolvedTenant;
try {
  resolved = resolveTenant({ tenant: app.node.tryGetContext('tenant'), config: app.node.tryGetContext('config') });
} catch (e) {
  if (!(e instanceof TenantContextError)) throw e;
  // An operator mistake, not a bug: the message says what to do, a stack trace would bury it.
  console.error(e.message);
  process.exit(1);
}
// No `env`: the stack is environment-agnostic, so `cdk synth` needs no credentials; `cdk deploy`
// targets the account and region of the caller's profile.
new ScimTenantStack(app, tenantStackName(resolved.tenant), { tenant: resolved.tenant, config: resolved.config });
// The same checks as the tests: a finding fails `cdk synth` too.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
