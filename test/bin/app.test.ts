import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveFleet, resolveTenant, TenantContextError, TENANT_CONFIG_DIR } from '../../bin/tenantConfig';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('resolveTenant', () => {
  it.each([undefined, null, ''])('refuses a missing tenant (%j) with usage', (tenant) => {
    expect(() => resolveTenant({ tenant })).toThrow(TenantContextError);
    expect(() => resolveTenant({ tenant })).toThrow(/Missing tenant: pass -c tenant=<name>/);
  });

  it.each(['Acme', 'acme_corp', '-acme', 'acme-', 'a'.repeat(41), 'acme corp', 42])('refuses the malformed tenant %j', (tenant) => {
    expect(() => resolveTenant({ tenant })).toThrow(/Invalid tenant name .*lowercase/);
  });

  it('uses every default when the tenant has no config file', () => {
    const r = resolveTenant({ tenant: 'nofile', configDir: tempDir() });
    expect(r.configPath).toBeUndefined();
    expect(r.config.throttling).toEqual({ rateLimit: 50, burstLimit: 100 });
  });

  it('reads config/tenants/<tenant>.json when it exists', () => {
    const dir = tempDir({ 'acme.json': JSON.stringify({ throttling: { rateLimit: 7 } }) });
    const r = resolveTenant({ tenant: 'acme', configDir: dir });
    expect(r.configPath).toBe(path.join(dir, 'acme.json'));
    expect(r.config.throttling.rateLimit).toBe(7);
  });

  it('reads -c config=<path> relative to the working directory', () => {
    const dir = tempDir({ 'custom.json': JSON.stringify({ logRetentionDays: 30 }) });
    const r = resolveTenant({ tenant: 'acme', config: 'custom.json', cwd: dir, configDir: tempDir() });
    expect(r.config.logRetentionDays).toBe(30);
  });

  it('refuses a -c config path that does not exist', () => {
    expect(() => resolveTenant({ tenant: 'acme', config: 'missing.json', cwd: tempDir() })).toThrow(/Config file not found/);
  });

  it('refuses a config file that is not JSON', () => {
    const dir = tempDir({ 'acme.json': '{ nope' });
    expect(() => resolveTenant({ tenant: 'acme', configDir: dir })).toThrow(/Cannot read .*acme\.json as JSON/);
  });

  it('lists every validation problem of a config file', () => {
    const dir = tempDir({ 'acme.json': JSON.stringify({ logRetentionDays: 10, waf: { allowedCidrs: ['x'] } }) });
    const error = (() => {
      try {
        resolveTenant({ tenant: 'acme', configDir: dir });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(TenantContextError);
    expect(error?.message).toMatch(/logRetentionDays/);
    expect(error?.message).toMatch(/waf\.allowedCidrs/);
  });

  it('refuses to deploy config/tenant.example.json as is, naming each placeholder', () => {
    // Prepare: the example is a valid config, so a copy would otherwise deploy its placeholders.
    const example = path.join(REPO_ROOT, 'config', 'tenant.example.json');
    // Act
    const error = (() => {
      try {
        resolveTenant({ tenant: 'acme', config: example });
      } catch (e) {
        return e as Error;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(TenantContextError);
    expect(error?.message).toMatch(/alarmEmail scim-ops@example\.com/);
    expect(error?.message).toMatch(/urn:example:params:scim:schemas:extension:Badge/);
  });

  it('deploys the example file once its placeholders are replaced', () => {
    const example = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config', 'tenant.example.json'), 'utf8')) as {
      alarmEmail: string;
      customExtensions: { schema: { id: string } }[];
    };
    example.alarmEmail = 'scim-ops@acme-corp.io';
    example.customExtensions[0].schema.id = 'urn:acme:params:scim:schemas:extension:Badge:2.0:User';
    const dir = tempDir({ 'acme.json': JSON.stringify(example) });
    const r = resolveTenant({ tenant: 'acme', configDir: dir });
    expect(r.config.waf.enabled).toBe(true);
    expect(r.config.alarmEmail).toBe('scim-ops@acme-corp.io');
  });

  it.each(['ops@example.com', 'ops@mail.example.org', 'ops@corp.test', 'ops@x.invalid'])('refuses the placeholder alarm email %s', (alarmEmail) => {
    const dir = tempDir({ 'acme.json': JSON.stringify({ alarmEmail }) });
    expect(() => resolveTenant({ tenant: 'acme', configDir: dir })).toThrow(/reserved for examples/);
  });

  it('keeps config/tenants free of example files, since every file there is a tenant of the fleet', () => {
    expect(existsSync(path.join(TENANT_CONFIG_DIR, 'example.json'))).toBe(false);
  });
});

describe('resolveFleet', () => {
  it('plans the ops stack and one tenant per config/tenants/*.json when no tenant is named', () => {
    // Prepare
    const dir = tempDir({ 'globex.json': JSON.stringify({ metricsDetail: 'full' }), 'acme.json': '{}', 'README.md': '# not a tenant' });
    const ops = path.join(tempDir({ 'ops.json': JSON.stringify({ alarmEmail: 'oncall@acme-corp.io' }) }), 'ops.json');
    // Act
    const plan = resolveFleet({ configDir: dir, opsConfigPath: ops });
    // Assess
    expect(plan.tenants.map((t) => t.tenant)).toEqual(['acme', 'globex']);
    expect(plan.tenants[1].config.metricsDetail).toBe('full');
    expect(plan.ops?.alarmEmail).toBe('oncall@acme-corp.io');
  });

  it("puts every pool of config/ops.json and of config/pools/*.json on the fleet dashboard, each once", () => {
    // Prepare
    const pools = tempDir({ 'main.json': '{}', 'eu.json': '{}', 'notes.txt': 'not a pool' });
    const ops = path.join(tempDir({ 'ops.json': JSON.stringify({ pools: ['legacy', 'main'] }) }), 'ops.json');
    // Act
    const plan = resolveFleet({ configDir: tempDir(), opsConfigPath: ops, poolConfigDir: pools });
    // Assess
    expect(plan.ops?.pools).toEqual(['legacy', 'main', 'eu']);
  });

  it('plans the ops stack alone, with defaults, when there are no tenant files and no ops file', () => {
    const plan = resolveFleet({ configDir: tempDir(), opsConfigPath: path.join(tempDir(), 'ops.json') });
    expect(plan.tenants).toEqual([]);
    expect(plan.ops?.waf.enabled).toBe(false);
  });

  it('refuses a tenant file whose name is not a tenant name', () => {
    const dir = tempDir({ 'Acme Corp.json': '{}' });
    expect(() => resolveFleet({ configDir: dir, opsConfigPath: path.join(dir, 'none.json') })).toThrow(/file name must be a tenant name/);
  });

  it('plans only the tenants of -c tenants, each from its own file, without the ops stack', () => {
    const dir = tempDir({ 'acme.json': JSON.stringify({ dashboard: true }), 'globex.json': '{}' });
    const plan = resolveFleet({ tenants: 'acme, initech', configDir: dir });
    expect(plan.ops).toBeUndefined();
    expect(plan.tenants.map((t) => [t.tenant, t.config.dashboard])).toEqual([
      ['acme', true],
      ['initech', false],
    ]);
  });

  it('refuses a tenant listed twice, and -c config with a list', () => {
    expect(() => resolveFleet({ tenants: 'acme,acme', configDir: tempDir() })).toThrow(/twice/);
    expect(() => resolveFleet({ tenants: 'acme', config: 'x.json', configDir: tempDir() })).toThrow(/-c config works with -c tenant only/);
  });

  it('refuses an ops config with a placeholder alarm email', () => {
    const ops = path.join(tempDir({ 'ops.json': JSON.stringify({ alarmEmail: 'ops@example.com' }) }), 'ops.json');
    expect(() => resolveFleet({ configDir: tempDir(), opsConfigPath: ops })).toThrow(/example values/);
  });
});

describe('bin/app.ts', () => {
  it('prints a clear error without a stack trace and exits 1 when -c tenant and -c tenants are both given', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ tenant: 'acme', tenants: 'acme,globex' }) },
      timeout: 60_000,
    });
    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Pass -c tenant or -c tenants, not both/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with the rule when the tenant is malformed', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ tenant: 'Bad_Name' }) },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Invalid tenant name "Bad_Name"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
