// The full check of a tenant's SCIM configuration: at synth (lib/tenantConfig.ts), in the local
// server and for pooled tenants' configurations. A deployed silo function only reads the checked
// result from SCIM_CONFIG (deployedScimConfig.ts) and carries no zod. zod/mini: no locale data;
// messages of checks without an explicit one are English wherever classic zod is loaded (lib/).
import * as z from 'zod/mini';
import { URN } from '../schema/urns';
import { MAX_MEMBERS_IN_RESPONSE_LIMIT, MAX_PAGE_SIZE_LIMIT, SCIM_CONFIG_DEFAULTS, defaultPageSizeFor } from './scimConfigDefaults';

/** RFC 7643 §2.1 ATTRNAME: ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA. */
const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `urn:<NID>:<NSS>` (RFC 8141), not ending in ':' (URN-qualified paths split on it). */
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S*[^:\s]$/i;

/** Bounds: a tenant's schema travels in every /Schemas answer and is walked on every write. */
const MAX_EXTENSIONS = 20;
const MAX_ATTRIBUTES = 200;
const MAX_SUB_ATTRIBUTES = 50;
const MAX_CANONICAL_VALUES = 100;

/**
 * Builds the zod schemas of a tenant's SCIM configuration. Called once, on first use: building
 * them at import would add milliseconds to every cold start of every function.
 */
function buildSchemas() {
  const characteristics = {
    description: z.optional(z.string().check(z.maxLength(1024))),
    multiValued: z.optional(z.boolean()),
    required: z.optional(z.boolean()),
    caseExact: z.optional(z.boolean()),
    mutability: z.optional(z.enum(['readOnly', 'readWrite', 'immutable', 'writeOnly'])),
    returned: z.optional(z.enum(['always', 'never', 'default', 'request'])),
    // Only 'none': the store enforces uniqueness (markers) for userName and Group displayName alone,
    // and /Schemas must never advertise a guarantee that does not hold (RFC 7643 §7 "server" would
    // promise a 409 that no write ever returns). Refused at synth, with the reason.
    uniqueness: z.optional(z.enum(['none'], { error: "custom attributes take uniqueness 'none' only: the service enforces uniqueness for userName and Group displayName, and would advertise 'server' without enforcing it" })),
    canonicalValues: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(256))).check(z.maxLength(MAX_CANONICAL_VALUES))),
    referenceTypes: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(256))).check(z.maxLength(20))),
  };

  const simpleType = z.enum(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference']);

  /** RFC 7643 §2.1 attribute name, at most 64 characters. */
  const attributeName = z.string().check(z.regex(ATTRNAME, { error: 'must be an RFC 7643 attribute name (a letter, then letters, digits, - or _)' }), z.maxLength(64));

  /** A sub-attribute of a complex attribute: simple (RFC 7643 §2.3.8: complex is one level deep). */
  const subAttributeSpec = z.strictObject({
    name: attributeName,
    type: z.optional(simpleType),
    ...characteristics,
  });

  /** One attribute of a custom extension, with optional RFC 7643 §7 characteristics (§2.2 defaults apply). */
  const attributeSpecSchema = z
    .strictObject({
      name: attributeName,
      type: z.optional(z.enum(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'])),
      subAttributes: z.optional(z.array(subAttributeSpec).check(z.minLength(1), z.maxLength(MAX_SUB_ATTRIBUTES))),
      ...characteristics,
    })
    .check(z.superRefine((a, ctx) => {
      if (a.type === 'complex' && !a.subAttributes) ctx.addIssue({ code: 'custom', path: ['subAttributes'], message: 'a complex attribute needs subAttributes' });
      if (a.subAttributes && a.type !== undefined && a.type !== 'complex') ctx.addIssue({ code: 'custom', path: ['type'], message: 'only complex attributes have subAttributes' });
      duplicates(a.subAttributes ?? [], ctx, ['subAttributes']);
    }));

  /** A custom extension schema (RFC 7643 §7). */
  const extensionSchemaSpec = z
    .strictObject({
      id: z.string().check(z.maxLength(256), z.regex(SCHEMA_URN, { error: 'must be a URN such as urn:acme:params:scim:schemas:extension:Badge:2.0:User' })),
      name: z.string().check(z.minLength(1), z.maxLength(128)),
      description: z.optional(z.string().check(z.maxLength(1024))),
      attributes: z.array(attributeSpecSchema).check(z.minLength(1), z.maxLength(MAX_ATTRIBUTES)),
    })
    .check(z.superRefine((s, ctx) => duplicates(s.attributes, ctx, ['attributes'])));

  /** One tenant-declared extension, bound to the resource type it extends (RFC 7643 §6 schemaExtensions). */
  const customExtensionSpecSchema = z.strictObject({
    resourceType: z.enum(['User', 'Group']),
    schema: extensionSchemaSpec,
    required: z.optional(z.boolean()),
  });

  /** URNs a custom extension may neither take nor nest under or above. */
  const RESERVED_URNS = Object.values(URN).map((u) => u.toLowerCase());

  /**
   * The tenant's SCIM configuration (from the stack's context, e.g. `cdk.json` or `-c`):
   * custom extensions, the unknown-attribute policy and page sizes.
   */
  const tenantScimConfigSchema = z.pipe(
    z
      .strictObject({
        customExtensions: z._default(z.array(customExtensionSpecSchema).check(z.maxLength(MAX_EXTENSIONS)), []),
        /** Unknown attributes in POST/PUT bodies: 400 invalidSyntax ('reject', RFC 7644 §3.3) or dropped. */
        unknownAttributes: z._default(z.enum(['reject', 'ignore']), SCIM_CONFIG_DEFAULTS.unknownAttributes),
        /** Largest `count` honoured (RFC 7644 §3.4.2.4); larger requests are cut to it. */
        maxPageSize: z._default(z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE_LIMIT)), SCIM_CONFIG_DEFAULTS.maxPageSize),
        /** Page size when the request has no `count`. */
        defaultPageSize: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE_LIMIT))),
        /**
         * Most members a full GET of a group carries; larger groups answer 400 tooMany saying to use
         * excludedAttributes=members (10,000 rendered members are ~2 MB, inside Lambda's 6 MB response).
         */
        maxMembersInResponse: z._default(z.int().check(z.minimum(1), z.maximum(MAX_MEMBERS_IN_RESPONSE_LIMIT)), SCIM_CONFIG_DEFAULTS.maxMembersInResponse),
        /**
         * Whether sortBy and sw/gt/ge/lt/le ranges are served from the table's sorted indexes. The stack
         * sets it false while an older table is upgraded one index at a time (tenant config
         * `tableIndexes`); /ServiceProviderConfig then lists only the key lookups as indexed.
         */
        sortedIndexes: z._default(z.boolean(), SCIM_CONFIG_DEFAULTS.sortedIndexes),
      })
      .check(z.superRefine((c, ctx) => {
        if (c.defaultPageSize !== undefined && c.defaultPageSize > c.maxPageSize) {
          ctx.addIssue({ code: 'custom', path: ['defaultPageSize'], message: `must not exceed maxPageSize (${c.maxPageSize})` });
        }
        const urns = c.customExtensions.map((e) => e.schema.id.toLowerCase());
        urns.forEach((urn, i) => {
          const path = ['customExtensions', i, 'schema', 'id'];
          // A URN that equals or nests with another (`…:User` vs `…:User:badge`) would make
          // URN-qualified attribute paths (RFC 7644 §3.10) ambiguous.
          const clash = (other: string): boolean => urn === other || urn.startsWith(`${other}:`) || other.startsWith(`${urn}:`);
          const reserved = RESERVED_URNS.find(clash);
          if (reserved) ctx.addIssue({ code: 'custom', path, message: `clashes with the RFC 7643/7644 URN ${reserved}` });
          const twin = urns.findIndex((other, j) => j !== i && clash(other));
          if (twin >= 0) ctx.addIssue({ code: 'custom', path, message: `clashes with customExtensions[${twin}] (${c.customExtensions[twin].schema.id})` });
        });
      })),
    z.transform((c) => ({ ...c, defaultPageSize: c.defaultPageSize ?? defaultPageSizeFor(c.maxPageSize) })),
  );

  return { attributeSpecSchema, customExtensionSpecSchema, tenantScimConfigSchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;

/**
 * The zod schemas of the configuration (lib/ composes them into the tenant config file's
 * schema): `tenantScimConfigSchema` with defaults and cross-field checks, `customExtensionSpecSchema`
 * for one extension, `attributeSpecSchema` for one of its attributes.
 */
export function tenantScimConfigSchemas(): ReturnType<typeof buildSchemas> {
  return (built ??= buildSchemas());
}

type Schemas = ReturnType<typeof buildSchemas>;

/** The tenant's SCIM configuration as written (optional fields may be missing). */
export type TenantScimConfigInput = z.input<Schemas['tenantScimConfigSchema']>;

/** The tenant's SCIM configuration with defaults filled in. */
export type TenantScimConfig = z.output<Schemas['tenantScimConfigSchema']>;

/** One custom extension as configured. */
export type CustomExtensionSpec = z.output<Schemas['customExtensionSpecSchema']>;

/** One attribute of a custom extension as configured. */
export type AttributeSpec = z.output<Schemas['attributeSpecSchema']>;

/**
 * Parses and checks a tenant's SCIM configuration; throws an Error listing every problem with its
 * path (`customExtensions[0].schema.id: …`), so a bad config fails the deploy, not a request.
 */
export function parseTenantScimConfig(input: unknown): TenantScimConfig {
  const result = tenantScimConfigSchemas().tenantScimConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${formatPath(i.path)}: ${describeIssue(i)}`);
  throw new Error(`Invalid tenant SCIM configuration:\n  ${problems.join('\n  ')}`);
}

function duplicates(items: readonly { name: string }[], ctx: z.core.$RefinementCtx, path: (string | number)[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const lower = item.name.toLowerCase();
    // RFC 7643 §2.1: attribute names are case-insensitive, so `Badge` and `badge` are one name.
    if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicates ${path.join('.')}[${seen.get(lower)}] ('${item.name}')` });
    else seen.set(lower, i);
  });
}

/**
 * An issue's message, naming the keys of an unknown-key issue: zod/mini carries no locale, so its
 * default message is a bare "Invalid input" (classic zod, loaded at synth, sets English ones).
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(root)';
}
