import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseOpsConfig, type OpsConfig } from '../lib/opsConfig';
import { isPoolName, parsePoolConfig, type PoolConfig } from '../lib/poolConfig';
import { findExampleValues, isTenantName, parseTenantConfig, TENANT_NAME_PATTERN, type TenantConfig } from '../lib/tenantConfig';

/** Where per-tenant configuration files live: `config/tenants/<tenant>.json`. */
export const TENANT_CONFIG_DIR = fileURLToPath(new URL('../config/tenants/', import.meta.url));

/** The ops stack's configuration file (optional). */
export const OPS_CONFIG_PATH = fileURLToPath(new URL('../config/ops.json', import.meta.url));

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

const USAGE =
  'usage: npx cdk deploy -c tenant=<name> [-c config=<path to tenant config JSON>]\n' +
  '       npx cdk deploy -c tenants=<name>,<name>...\n' +
  '       npx cdk deploy --all [--concurrency N]   (the ops stack and every config/tenants/*.json)';

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

/** What bin/app.ts synthesizes (lib/buildFleet.ts FleetPlan). */
export interface ResolvedFleet {
  /** The ops stack's configuration, in fleet mode only. */
  readonly ops?: OpsConfig;
  /** The tenants. */
  readonly tenants: readonly ResolvedTenant[];
}

/** Inputs of {@link resolveFleet}: the CDK context values and where to look for files. */
export interface ResolveFleetInput extends Omit<ResolveTenantInput, 'tenant'> {
  /** `-c tenant=<name>`: that tenant alone. */
  readonly tenant?: unknown;
  /** `-c tenants=a,b,c`: those tenants (each from its file in configDir, or defaults). */
  readonly tenants?: unknown;
  /**
   * The ops configuration file.
   * @default OPS_CONFIG_PATH
   */
  readonly opsConfigPath?: string;
  /**
   * Where pool configuration files are: each one's pool joins the fleet dashboard.
   * @default POOL_CONFIG_DIR
   */
  readonly poolConfigDir?: string;
}

/**
 * Decides what the app synthesizes. `tenant` alone: that tenant (as resolveTenant). `tenants`: a
 * comma-separated list. Neither: the fleet, i.e. the ops stack (config/ops.json when present) and
 * one stack per `config/tenants/*.json`, the file name being the tenant name.
 */
export function resolveFleet(input: ResolveFleetInput): ResolvedFleet {
  const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
  if (given(input.tenant) && given(input.tenants)) throw new TenantContextError(`Pass -c tenant or -c tenants, not both.\n${USAGE}`);
  if (given(input.tenant)) return { tenants: [resolveTenant(input)] };
  if (given(input.tenants)) {
    if (given(input.config)) throw new TenantContextError(`-c config works with -c tenant only: each tenant of a list reads its own file.\n${USAGE}`);
    if (typeof input.tenants !== 'string') throw new TenantContextError(`-c tenants must be a comma-separated list of names.\n${USAGE}`);
    const names = input.tenants.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (new Set(names).size !== names.length) throw new TenantContextError(`-c tenants lists a tenant twice: ${input.tenants}`);
    return { tenants: names.map((tenant) => resolveTenant({ ...input, tenant, config: undefined })) };
  }
  if (given(input.config)) throw new TenantContextError(`-c config needs -c tenant=<name>.\n${USAGE}`);
  const dir = input.configDir ?? TENANT_CONFIG_DIR;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const tenants = files.map((file) => {
    const tenant = file.slice(0, -'.json'.length);
    if (!isTenantName(tenant)) {
      throw new TenantContextError(`${path.join(dir, file)}: the file name must be a tenant name (${TENANT_NAME_PATTERN}); every *.json in ${dir} is a tenant.`);
    }
    return resolveTenant({ ...input, tenant, config: undefined, configDir: dir });
  });
  const ops = resolveOps(input.opsConfigPath ?? OPS_CONFIG_PATH);
  // The fleet dashboard shows every pool configured here too, without listing it twice.
  const poolDir = input.poolConfigDir ?? POOL_CONFIG_DIR;
  const poolFiles = existsSync(poolDir) ? readdirSync(poolDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).filter(isPoolName) : [];
  return { ops: { ...ops, pools: [...new Set([...ops.pools, ...poolFiles.sort()])] }, tenants };
}

/** Reads and validates the ops configuration file; all defaults when it does not exist. */
export function resolveOps(file: string): OpsConfig {
  if (!existsSync(file)) return parseOpsConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TenantContextError(`Cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  let config: OpsConfig;
  try {
    config = parseOpsConfig(raw);
  } catch (e) {
    if (e instanceof z.ZodError) throw new TenantContextError(`Invalid ops config ${file}:\n${z.prettifyError(e)}`);
    throw e;
  }
  const placeholders = findExampleValues({ alarmEmail: config.alarmEmail, customExtensions: [] });
  if (placeholders.length > 0) throw new TenantContextError(`Ops config ${file} still holds example values:\n- ${placeholders.join('\n- ')}`);
  return config;
}

/** Where pooled stacks' configuration files live: `config/pools/<pool>.json`. */
export const POOL_CONFIG_DIR = fileURLToPath(new URL('../config/pools/', import.meta.url));

/** The pool to synthesize (`-c pool=<name>`) and its validated configuration. */
export interface ResolvedPool {
  readonly pool: string;
  readonly config: PoolConfig;
}

/**
 * Reads `-c pool=<name>` and `config/pools/<name>.json` (all defaults when absent). A pool is
 * synthesized alone: `-c tenant` / `-c tenants` with it are refused, since a pool's tenants are
 * enabled at run time, never deployed.
 */
export function resolvePool(input: { pool: unknown; tenant?: unknown; tenants?: unknown; configDir?: string }): ResolvedPool {
  const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
  if (given(input.tenant) || given(input.tenants)) {
    throw new TenantContextError('Pass -c pool=<name> alone: a pool\'s tenants are enabled through its management API, not deployed.');
  }
  const pool = input.pool;
  if (typeof pool !== 'string' || !isPoolName(pool)) {
    throw new TenantContextError(`Invalid pool name ${JSON.stringify(pool)}: use 1-40 lowercase letters, digits and hyphens (${TENANT_NAME_PATTERN}).`);
  }
  const file = path.join(input.configDir ?? POOL_CONFIG_DIR, `${pool}.json`);
  if (!existsSync(file)) return { pool, config: parsePoolConfig({}) };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TenantContextError(`Cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  try {
    return { pool, config: parsePoolConfig(raw) };
  } catch (e) {
    if (e instanceof z.ZodError) throw new TenantContextError(`Invalid pool config ${file}:\n${z.prettifyError(e)}`);
    throw e;
  }
}
