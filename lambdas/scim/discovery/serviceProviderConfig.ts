import { URN } from '../schema/urns';
import { trimBaseUrl } from './baseUrl';
import { SCIM_BASE } from '../../contracts/scimApi';

/** An RFC 7643 §5 authentication scheme. */
export interface AuthenticationScheme {
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly specUri?: string;
  readonly documentationUri?: string;
  readonly primary?: boolean;
}

/** The bearer-token scheme our authorizer implements (RFC 6750). */
export const BEARER_TOKEN_SCHEME: AuthenticationScheme = {
  type: 'oauthbearertoken',
  name: 'OAuth Bearer Token',
  description: 'Authentication with a bearer token issued by the operator for this tenant (Authorization: Bearer <token>).',
  specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
  primary: true,
};

/**
 * The OAuth 2.0 client credentials scheme (RFC 6749 §4.4, with Workload Identity Federation by
 * RFC 7523 assertions): listed only when the tenant enables it. RFC 7643 §5 has no attribute for
 * a token endpoint, so its URL is in `description` and `documentationUri`'s place stays free.
 */
export function oauthClientCredentialsScheme(tokenEndpoint: string): AuthenticationScheme {
  return {
    type: 'oauth2',
    name: 'OAuth 2.0 Client Credentials',
    description:
      `Access tokens from the token endpoint ${tokenEndpoint} (grant_type=client_credentials; client_secret_basic, ` +
      'client_secret_post, or a private_key_jwt-style client_assertion signed by Microsoft Entra ID), sent as Authorization: Bearer <access token>.',
    specUri: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.4',
    primary: false,
  };
}

/** The SCIM base path ending a base URL. */
const BASE_PATH_AT_END = new RegExp(`${SCIM_BASE}$`, 'i');

/**
 * The token endpoint's URL from the SCIM base URL: `/oauth2/token` beside `/scim/v2` under the
 * same stage (`https://host/prod/scim/v2` -> `https://host/prod/oauth2/token`).
 */
export function tokenEndpointUrl(baseUrl: string): string {
  return `${trimBaseUrl(baseUrl).replace(BASE_PATH_AT_END, '')}/oauth2/token`;
}

/** RFC 9865 pagination capabilities, advertised as `pagination` in the ServiceProviderConfig. */
export interface PaginationCapabilities {
  /** Cursor paging (`cursor` query parameter, `nextCursor`) is supported. */
  readonly cursor: boolean;
  /** Index paging (`startIndex`) is supported. */
  readonly index: boolean;
  /** Which one applies when the request names neither. */
  readonly defaultPaginationMethod?: 'cursor' | 'index';
  readonly defaultPageSize?: number;
  readonly maxPageSize?: number;
  /** Seconds a cursor stays valid. */
  readonly cursorTimeout?: number;
}

/**
 * Which queries scale (lambdas/scim/queryCapabilities.ts), beside RFC 7643 §5's `supported`:
 * `indexed` lists the filters (or, for sort, the sortBy attributes per resource type) served at
 * any tenant size; anything else examines at most `maxExaminedWithoutIndex` resources and past
 * that answers 400 tooMany. Clients that only read `supported` are unaffected.
 */
export interface IndexedQueries<T> {
  readonly indexed: T;
  readonly maxExaminedWithoutIndex: number;
}

/**
 * What the deployment really supports: the handler passes it in so /ServiceProviderConfig
 * advertises only what works (issue 3: "advertise only what works").
 */
export interface ServiceProviderConfigOptions {
  /** Absolute SCIM base URL, e.g. https://x.execute-api.eu-west-1.amazonaws.com/prod/scim/v2 */
  readonly baseUrl: string;
  readonly documentationUri?: string;
  readonly patch: { readonly supported: boolean };
  readonly bulk: { readonly supported: boolean; readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly filter: { readonly supported: boolean; readonly maxResults: number } & Partial<IndexedQueries<readonly string[]>>;
  readonly changePassword: { readonly supported: boolean };
  readonly sort: { readonly supported: boolean } & Partial<IndexedQueries<Readonly<Record<string, readonly string[]>>>>;
  readonly etag: { readonly supported: boolean };
  /** RFC 9865; omitted from the document when not given. */
  readonly pagination?: PaginationCapabilities;
  /** @default [BEARER_TOKEN_SCHEME] */
  readonly authenticationSchemes?: readonly AuthenticationScheme[];
  /** ISO 8601 timestamps for `meta`, when known (e.g. the deployment time). */
  readonly created?: string;
  readonly lastModified?: string;
  /**
   * Extensions the service supports, each advertised as a schema URN in `schemas` with its
   * settings under that URN (RFC 7643 §3: extension attributes live under their schema URN),
   * e.g. /Bulk's all-or-nothing mode.
   */
  readonly extensions?: Readonly<Record<string, Record<string, unknown>>>;
}

/** The /ServiceProviderConfig document (RFC 7643 §5, RFC 7644 §4), with RFC 9865 `pagination` when given. */
export function serviceProviderConfig(options: ServiceProviderConfigOptions): Record<string, unknown> {
  const base = trimBaseUrl(options.baseUrl);
  const extensions = options.extensions ?? {};
  return {
    schemas: [URN.serviceProviderConfig, ...Object.keys(extensions)],
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    patch: { supported: options.patch.supported },
    bulk: {
      supported: options.bulk.supported,
      maxOperations: options.bulk.maxOperations,
      maxPayloadSize: options.bulk.maxPayloadSize,
    },
    filter: { supported: options.filter.supported, maxResults: options.filter.maxResults, ...indexed(options.filter) },
    changePassword: { supported: options.changePassword.supported },
    sort: { supported: options.sort.supported, ...indexed(options.sort) },
    etag: { supported: options.etag.supported },
    ...(options.pagination ? { pagination: { ...options.pagination } } : {}),
    authenticationSchemes: (options.authenticationSchemes ?? [BEARER_TOKEN_SCHEME]).map((s) => ({ ...s })),
    ...Object.fromEntries(Object.entries(extensions).map(([urn, settings]) => [urn, { ...settings }])),
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${base}/ServiceProviderConfig`,
      ...(options.created ? { created: options.created } : {}),
      ...(options.lastModified ? { lastModified: options.lastModified } : {}),
    },
  };
}

function indexed<T>(q: Partial<IndexedQueries<T>>): Partial<IndexedQueries<T>> {
  return q.indexed === undefined ? {} : { indexed: q.indexed, ...(q.maxExaminedWithoutIndex !== undefined ? { maxExaminedWithoutIndex: q.maxExaminedWithoutIndex } : {}) };
}
