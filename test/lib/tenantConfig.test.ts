import { describe, expect, it } from 'vitest';
import { TENANT_PATTERN } from '../../lambdas/auth/token';
import { defaultTenantConfig, isTenantName, parseTenantConfig, scimConfigOf } from '../../lib/tenantConfig';

describe('isTenantName', () => {
  it.each(['a', 'acme', 'acme-eu-1', '0', 'a'.repeat(40)])('accepts %s', (name) => {
    expect(isTenantName(name)).toBe(true);
    // Every deployable tenant must be one the authorizer and token format accept.
    expect(TENANT_PATTERN.test(name)).toBe(true);
  });

  it.each(['', 'Acme', 'acme_corp', '-acme', 'acme-', 'a'.repeat(41), 'ac me', 'acme.eu', 'äcme'])('refuses %j', (name) => {
    expect(isTenantName(name)).toBe(false);
  });
});

describe('parseTenantConfig', () => {
  it('fills every default for an empty file', () => {
    expect(defaultTenantConfig()).toMatchObject({
      customExtensions: [],
      throttling: { rateLimit: 50, burstLimit: 100 },
      logRetentionDays: 90,
      waf: { enabled: false, allowedCidrs: [] },
      authorizerCacheTtlSeconds: 300,
      tracing: false,
    });
  });

  it('leaves the no-provisioning alarm off unless the tenant opts in', () => {
    expect(defaultTenantConfig().noProvisioningAlarmHours).toBeUndefined();
    expect(parseTenantConfig({ noProvisioningAlarmHours: 48 }).noProvisioningAlarmHours).toBe(48);
  });

  it('refuses unknown keys, so a typo is not silently ignored', () => {
    expect(() => parseTenantConfig({ throtling: {} })).toThrow(/throtling/);
  });

  it.each([
    [{ logRetentionDays: 10 }, /logRetentionDays/],
    [{ waf: { allowedCidrs: ['10.0.0.0/33'] } }, /allowedCidrs/],
    [{ waf: { rateLimitPer5Min: 5 } }, /rateLimitPer5Min/],
    [{ alarmEmail: 'not-an-email' }, /alarmEmail/],
    [{ noProvisioningAlarmHours: 145 }, /noProvisioningAlarmHours/],
    [{ authorizerCacheTtlSeconds: 4000 }, /authorizerCacheTtlSeconds/],
    [{ throttling: { burstLimit: 0 } }, /burstLimit/],
  ])('refuses %j', (input, path) => {
    expect(() => parseTenantConfig(input)).toThrow(path);
  });

  it('validates custom extensions with the SCIM layer schema', () => {
    expect(() => parseTenantConfig({ customExtensions: [{ resourceType: 'User', schema: { id: 'not-a-urn', name: 'X', attributes: [{ name: 'a' }] } }] })).toThrow(
      /URN/,
    );
  });

  it('reports SCIM cross-field rules at the config file paths', () => {
    expect(() => parseTenantConfig({ pagination: { defaultPageSize: 500, maxPageSize: 100 } })).toThrow(/pagination/);
  });

  it('builds the SCIM config the functions receive', () => {
    // Prepare
    const config = parseTenantConfig({ pagination: { maxPageSize: 200 }, unknownAttributes: 'ignore' });
    // Act
    const scim = scimConfigOf(config);
    // Assess
    // toMatchObject: the SCIM layer may add keys with defaults, which flow through unchanged.
    expect(scim).toMatchObject({ customExtensions: [], unknownAttributes: 'ignore', maxPageSize: 200, defaultPageSize: 100 });
  });
});
