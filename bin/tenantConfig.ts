import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { findExampleValues, isTenantName, parseTenantConfig, TENANT_NAME_PATTERN, type TenantConfig } from '../lib/tenantConfig';

/** Where per-tenant configuration files live: `config/tenants/<tenant>.json`. */
export const TENANT_CONFIG_DIR = fileURLToPath(new URL('../config/tenants/', import.meta.url));

/** A problem with `-c tenant=` or the configuration file; its message is shown to the operator as is. */
export class TenantContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantContextError';
  }
}

/** The tenant to synthesize and its validated configuration. */
export interface ResolvedTenant {
  /** The tenant name. */
  readonly tenant: string;
  /** Its configuration, defaults filled in. */
  readonly config: TenantConfig;
  /** The file the configuration came from; undefined when every default applies. */
  readonly configPath?: string;
}

/** Inputs of {@link resolveTenant}: the CDK context values and where to look for files. */
export interface ResolveTenantInput {
  /** `-c tenant=<name>`. */
  readonly tenant?: unknown;
  /** `-c config=<path>` (relative to `cwd`). */
  readonly config?: unknown;
  /**
   * Directory relative `-c config=` paths resolve against.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Directory of the default per-tenant files.
   * @default TENANT_CONFIG_DIR
   */
  readonly configDir?: string;
}

const USAGE = 'usage: npx cdk deploy -c tenant=<name> [-c config=<path to tenant config JSON>]';

/**
 * Reads and validates the tenant name and its configuration. The name is required (there is no
 * default tenant: deploying "default" by accident would create a stack nobody asked for); the file
 * is `-c config=<path>` if given (then it must exist), else `config/tenants/<tenant>.json` if it
 * exists, else all defaults. A file still holding the placeholders of config/tenant.example.json
 * is refused. Throws TenantContextError with an operator-facing message.
 */
export function resolveTenant(input: ResolveTenantInput): ResolvedTenant {
  const tenant = input.tenant;
  if (tenant === undefined || tenant === null || tenant === '') {
    throw new TenantContextError(`Missing tenant: pass -c tenant=<name>.\n${USAGE}`);
  }
  if (typeof tenant !== 'string' || !isTenantName(tenant)) {
    throw new TenantContextError(
      `Invalid tenant name ${JSON.stringify(tenant)}: use 1-40 lowercase letters, digits and hyphens, ` +
        `starting and ending with a letter or digit (${TENANT_NAME_PATTERN}).\n${USAGE}`,
    );
  }

  let configPath: string | undefined;
  if (input.config !== undefined && input.config !== '') {
    if (typeof input.config !== 'string') throw new TenantContextError(`-c config must be a file path.\n${USAGE}`);
    configPath = path.resolve(input.cwd ?? process.cwd(), input.config);
    if (!existsSync(configPath)) throw new TenantContextError(`Config file not found: ${configPath}`);
  } else {
    const candidate = path.join(input.configDir ?? TENANT_CONFIG_DIR, `${tenant}.json`);
    if (existsSync(candidate)) configPath = candidate;
  }
  if (!configPath) return { tenant, config: parseTenantConfig({}) };

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (e) {
    throw new TenantContextError(`Cannot read ${configPath} as JSON: ${(e as Error).message}`);
  }
  let config: TenantConfig;
  try {
    config = parseTenantConfig(raw);
  } catch (e) {
    if (e instanceof z.ZodError) throw new TenantContextError(`Invalid tenant config ${configPath}:\n${z.prettifyError(e)}`);
    throw e;
  }
  // A copy of config/tenant.example.json must not reach an account with its placeholders in it.
  const placeholders = findExampleValues(config);
  if (placeholders.length > 0) {
    throw new TenantContextError(`Tenant config ${configPath} still holds example values:\n- ${placeholders.join('\n- ')}`);
  }
  return { tenant, config, configPath };
}
