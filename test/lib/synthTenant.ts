import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fileURLToPath } from 'node:url';
import { ScimTenantStack } from '../../lib/ScimTenantStack';
import { SCIM_FUNCTION_NAMES, type ScimFunctionName } from '../../lib/ScimFunctions';
import { parseTenantConfig, type TenantConfigInput } from '../../lib/tenantConfig';
import { POOL_FUNCTION_NAMES, ScimPoolStack } from '../../lib/ScimPoolStack';
import { FEED_FUNCTION_NAMES } from '../../lib/ScimChangeFeed';

/** A handler file that exists, so NodejsFunction accepts it; bundling is skipped anyway. */
export const FIXTURE_ENTRY = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

/** Every function pointed at the fixture. */
export const FIXTURE_ENTRIES = Object.fromEntries(SCIM_FUNCTION_NAMES.map((n) => [n, FIXTURE_ENTRY])) as Record<ScimFunctionName, string>;

/**
 * An App whose stacks skip esbuild: `aws:cdk:bundling-stacks` = [] makes NodejsFunction stage the
 * source as is, so tests do not depend on the real handlers. CDK's built-in CloudFormation schema
 * validation (a WASM engine, seconds per synth) is off unless asked for: one test runs it.
 */
export function testApp(options: { validate?: boolean } = {}): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: options.validate ?? false });
}

/** Synthesizes one tenant stack with the given config file contents. */
export function synthTenant(tenant = 'acme', config: TenantConfigInput = {}, app = testApp()): { stack: ScimTenantStack; template: Template } {
  const stack = new ScimTenantStack(app, `Scim-${tenant}`, { tenant, config: parseTenantConfig(config), functionEntries: FIXTURE_ENTRIES });
  return { stack, template: Template.fromStack(stack) };
}

/** The template of a pooled stack with every function pointed at the fixture (the cost model reads it). */
export function synthPoolTemplate(pool = 'main', app = testApp()): ReturnType<Template['toJSON']> {
  const entries = Object.fromEntries([...POOL_FUNCTION_NAMES, ...FEED_FUNCTION_NAMES].map((n) => [n, FIXTURE_ENTRY]));
  return Template.fromStack(new ScimPoolStack(app, `ScimPool-${pool}`, { pool, functionEntries: entries })).toJSON();
}
