import type { TenantScimConfig } from './tenantScimConfig';
import { MAX_MEMBERS_IN_RESPONSE_LIMIT, MAX_PAGE_SIZE_LIMIT, SCIM_CONFIG_DEFAULTS, defaultPageSizeFor } from './scimConfigDefaults';

const KEYS: ReadonlySet<string> = new Set(['customExtensions', 'unknownAttributes', 'maxPageSize', 'defaultPageSize', 'maxMembersInResponse', 'sortedIndexes']);

/**
 * The tenant's SCIM configuration as a deployed function reads it from SCIM_CONFIG. The stack
 * writes that variable from {@link parseTenantScimConfig}'s output (lib/tenantConfig.ts
 * `scimConfigOf`), so every rule, down to each custom attribute, was checked at synth, where a
 * bad configuration fails the deploy. The function fills in the defaults of absent keys and
 * refuses a value of the wrong kind (its init fails, as the full parser's would), without zod:
 * the full parser's runtime was ~27 KB of each request function's bundle and milliseconds of each
 * cold start, to re-check what the deploy already checked.
 */
export function deployedScimConfig(input: unknown): TenantScimConfig {
  const c = (input ?? {}) as Record<string, unknown>;
  if (typeof c !== 'object' || Array.isArray(c)) refuse('(root)', 'must be an object');
  for (const key of Object.keys(c)) if (!KEYS.has(key)) refuse(key, 'is not a SCIM configuration key');
  const maxPageSize = int(c, 'maxPageSize', SCIM_CONFIG_DEFAULTS.maxPageSize, MAX_PAGE_SIZE_LIMIT);
  const unknownAttributes = c.unknownAttributes ?? SCIM_CONFIG_DEFAULTS.unknownAttributes;
  if (unknownAttributes !== 'reject' && unknownAttributes !== 'ignore') refuse('unknownAttributes', "must be 'reject' or 'ignore'");
  const sortedIndexes = c.sortedIndexes ?? SCIM_CONFIG_DEFAULTS.sortedIndexes;
  if (typeof sortedIndexes !== 'boolean') refuse('sortedIndexes', 'must be a boolean');
  const customExtensions = c.customExtensions ?? [];
  if (!Array.isArray(customExtensions)) refuse('customExtensions', 'must be an array');
  customExtensions.forEach((e: unknown, i) => {
    const ext = e as { resourceType?: unknown; schema?: { id?: unknown; name?: unknown; attributes?: unknown } } | null;
    const ok = typeof ext === 'object' && ext !== null && (ext.resourceType === 'User' || ext.resourceType === 'Group') && typeof ext.schema === 'object' && ext.schema !== null;
    if (!ok || typeof ext.schema?.id !== 'string' || typeof ext.schema.name !== 'string' || !Array.isArray(ext.schema.attributes)) {
      refuse(`customExtensions[${i}]`, 'must be a resourceType (User or Group) with a schema (id, name, attributes)');
    }
  });
  return {
    customExtensions: customExtensions as TenantScimConfig['customExtensions'],
    unknownAttributes,
    maxPageSize,
    defaultPageSize: c.defaultPageSize === undefined ? defaultPageSizeFor(maxPageSize) : int(c, 'defaultPageSize', 0, maxPageSize),
    maxMembersInResponse: int(c, 'maxMembersInResponse', SCIM_CONFIG_DEFAULTS.maxMembersInResponse, MAX_MEMBERS_IN_RESPONSE_LIMIT),
    sortedIndexes,
  };
}

function int(c: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const v = c[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) refuse(key, `must be an integer from 1 to ${max}`);
  return v;
}

function refuse(path: string, problem: string): never {
  throw new Error(`Invalid SCIM_CONFIG (the stack writes it from the checked tenant configuration): ${path} ${problem}`);
}
