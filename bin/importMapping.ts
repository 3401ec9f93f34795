/**
 * `npm run import-mapping -- --tenant acme [--secret-arn <arn>]`: prints the resource mapping for
 * `npx cdk import -c tenant=acme Scim-acme --resource-mapping <file>`, which re-adopts the table and
 * secret a deleted stack retained (docs/runbooks/decommission.md). Offline: nothing is bundled.
 */
import { App } from 'aws-cdk-lib';
import { parseArgs } from 'node:util';
import { importResourceMapping } from '../lib/importMapping';
import { ScimTenantStack, tenantStackName } from '../lib/ScimTenantStack';
import { resolveTenant, TenantContextError } from './tenantConfig';

const { values } = parseArgs({ options: { tenant: { type: 'string' }, 'secret-arn': { type: 'string' }, config: { type: 'string' } } });
try {
  const { tenant, config } = resolveTenant({ tenant: values.tenant, config: values.config });
  // Bundling is skipped: only logical ids and names matter here.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ScimTenantStack(app, tenantStackName(tenant), { tenant, config });
  process.stdout.write(`${JSON.stringify(importResourceMapping(stack, values['secret-arn']), null, 2)}\n`);
} catch (e) {
  if (!(e instanceof TenantContextError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
