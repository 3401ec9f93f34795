// zod/mini like the rest of the Lambda code; lib/tenantConfig.ts embeds the same schema.
import * as z from 'zod/mini';
import { DEFAULT_SCOPES, SCOPES } from '../scopes';
import { ACCESS_TOKEN_DEFAULT_MINUTES, ACCESS_TOKEN_MAX_MINUTES, ACCESS_TOKEN_MIN_MINUTES } from './constants';

/** Microsoft Entra's public-cloud authority (login.microsoftonline.us, login.chinacloudapi.cn for the sovereign clouds). */
export const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';

/**
 * One federated client (Workload Identity Federation, RFC 7523 §2.2): an Entra service principal
 * that authenticates with an Entra-signed access token as `client_assertion` instead of a secret.
 * The values come from the Entra app: Directory (tenant) ID, the service principal's Object ID,
 * and the Application (client) ID or Application ID URI the token is issued for.
 */
export const FederatedClientSchema = z.strictObject({
  /**
   * The client_id the IdP sends with the assertion (Entra's "federatedClientId"). Names of CLI
   * clients start with `cli_`, so federated ones must not.
   */
  clientId: z.string().check(
    z.regex(/^[A-Za-z0-9._~-]{1,128}$/, { error: 'clientId: 1-128 of A-Z a-z 0-9 . _ ~ -' }),
    z.refine((id) => !id.startsWith('cli_'), { error: 'clientId must not start with cli_ (reserved for CLI-created clients)' }),
  ),
  /** Free text for humans. */
  label: z.optional(z.string().check(z.maxLength(200))),
  /** The Entra tenant (`tid` claim) the assertion must come from. */
  entraTenantId: z.guid(),
  /** The `sub` claim: the Object ID of the service principal (Enterprise application). */
  subject: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Accepted `aud` values: the app's Application (client) ID (v2 tokens) and/or its Application ID URI (v1). */
  audience: z.array(z.string().check(z.minLength(1), z.maxLength(512))).check(z.minLength(1), z.maxLength(5)),
  /** Scopes the federated client gets. */
  scopes: z._default(z.array(z.enum(SCOPES)).check(z.minLength(1), z.maxLength(SCOPES.length)), [...DEFAULT_SCOPES]),
  /** The Entra authority host, for sovereign clouds. */
  authorityHost: z._default(z.url({ protocol: /^https$/ }), ENTRA_AUTHORITY),
  /**
   * Accepted issuers. Default: the v2 form `<authority>/<tid>/v2.0` and the v1 form
   * `https://sts.windows.net/<tid>/` of the public cloud.
   */
  issuers: z.optional(z.array(z.url()).check(z.minLength(1), z.maxLength(4))),
  /** Where the signing keys are. Default: `<authority>/<tid>/discovery/v2.0/keys` (serves v1 and v2 keys). */
  jwksUri: z.optional(z.url()),
});

/** A federated client as configured (defaults filled in). */
export type FederatedClient = z.output<typeof FederatedClientSchema>;

/**
 * The OAuth part of a tenant's configuration (`oauth` in config/tenants/<tenant>.json), passed to
 * the token, authorizer and discovery functions as JSON in OAUTH_CONFIG.
 */
export const OAuthConfigSchema = z
  .strictObject({
    /** Serve POST /oauth2/token and accept its access tokens. Static bearer tokens work either way. */
    enabled: z._default(z.boolean(), false),
    /** Access token lifetime (Entra's gallery asks for 60 min to 6 h). */
    accessTokenMinutes: z._default(z.int().check(z.minimum(ACCESS_TOKEN_MIN_MINUTES), z.maximum(ACCESS_TOKEN_MAX_MINUTES)), ACCESS_TOKEN_DEFAULT_MINUTES),
    /** Workload Identity Federation clients. */
    federation: z._default(z.array(FederatedClientSchema).check(z.maxLength(10)), []),
  })
  .check(
    z.refine((c) => new Set(c.federation.map((f) => f.clientId)).size === c.federation.length, {
      error: 'federation: clientId values must be unique',
      path: ['federation'],
    }),
  );

/** The validated OAuth configuration. */
export type OAuthConfig = z.output<typeof OAuthConfigSchema>;

/** What a human writes (before defaults). */
export type OAuthConfigInput = z.input<typeof OAuthConfigSchema>;

/** OAuth disabled: the default. */
export function disabledOAuthConfig(): OAuthConfig {
  return OAuthConfigSchema.parse({});
}

const parsedTenantOAuth = new WeakMap<object, OAuthConfig>();

/**
 * A pooled tenant record's OAuth settings (its `oauth` attribute, the same object as `oauth` of a
 * tenant config file), parsed once per record object (the callers cache records). Absent or,
 * defensively, invalid settings are OAuth off: the management API validates before it stores, so
 * an invalid value means a hand-edited item, and off fails closed.
 */
export function tenantOAuthConfig(record: { readonly oauth?: unknown }): OAuthConfig {
  if (record.oauth === undefined || record.oauth === null) return disabledOAuthConfig();
  const hit = parsedTenantOAuth.get(record);
  if (hit) return hit;
  const result = OAuthConfigSchema.safeParse(record.oauth);
  const config = result.success ? result.data : disabledOAuthConfig();
  parsedTenantOAuth.set(record, config);
  return config;
}

/** Parses OAUTH_CONFIG (JSON text, absent = disabled); throws on a malformed value (a deployment error). */
export function parseOAuthConfig(text: string | undefined): OAuthConfig {
  return OAuthConfigSchema.parse(text ? JSON.parse(text) : {});
}

/** The issuers accepted for a federated client (v2 and v1 forms unless configured). */
export function federatedIssuers(client: FederatedClient): string[] {
  if (client.issuers) return client.issuers;
  const authority = client.authorityHost.replace(/\/+$/, '');
  return [`${authority}/${client.entraTenantId}/v2.0`, `https://sts.windows.net/${client.entraTenantId}/`];
}

/** The JWKS URI of a federated client's issuer. */
export function federatedJwksUri(client: FederatedClient): string {
  return client.jwksUri ?? `${client.authorityHost.replace(/\/+$/, '')}/${client.entraTenantId}/discovery/v2.0/keys`;
}

/**
 * The `iss` of our access tokens. A URN rather than the API's URL: the authorizer must know it
 * without knowing its own URL (which depends on it in CloudFormation) and custom domains must not
 * change it. Carries the tenant, as does the audience.
 */
export function accessTokenIssuer(tenant: string): string {
  return `urn:serverless-scim:issuer:${tenant}`;
}

/**
 * The `aud` of our access tokens: the tenant's SCIM API (RFC 9068 §3). A pooled deployment
 * serving many tenants tells them apart by this value (and the `tenant` claim).
 */
export function accessTokenAudience(tenant: string): string {
  return `urn:serverless-scim:tenant:${tenant}`;
}
