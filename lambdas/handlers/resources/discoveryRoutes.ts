import { ScimError } from '../../scim/errors';
import { resourceTypeDocument, resourceTypesDocument, schemaDocument, schemasDocument, serviceProviderConfig } from '../../scim/discovery';
import { BEARER_TOKEN_SCHEME, oauthClientCredentialsScheme, tokenEndpointUrl } from '../../scim/discovery/serviceProviderConfig';
import type { SchemaRegistry } from '../../scim/schema';
import type { TenantScimConfig } from '../../scim/config';
import { baseUrl } from '../../http/request';
import { scimResponse } from '../../http/responses';
import type { Route } from '../../http/router';
import type { ScimEvent } from '../../http/types';
import { CAPABILITIES } from './capabilities';
import { indexedQueries } from '../../scim/queryCapabilities';

/** What the discovery endpoints need: the tenant's schemas and limits, no table. */
export interface DiscoveryDeps {
  readonly registry: SchemaRegistry;
  readonly config: TenantScimConfig;
  /** POST /oauth2/token is served (issue 16): /ServiceProviderConfig lists the OAuth scheme. @default false */
  readonly oauthEnabled?: boolean;
}

/** /ServiceProviderConfig, /ResourceTypes[/{id}], /Schemas[/{urn}] (RFC 7644 §4), rendered from the schema definitions. */
export function discoveryRoutes({ registry, config, oauthEnabled }: DiscoveryDeps): Route[] {
  const spc = async (event: ScimEvent) =>
    scimResponse(
      200,
      serviceProviderConfig({
        baseUrl: baseUrl(event),
        patch: CAPABILITIES.patch,
        bulk: CAPABILITIES.bulk,
        filter: { supported: true, maxResults: config.maxPageSize, indexed: indexedQueries(config.sortedIndexes).filters, maxExaminedWithoutIndex: CAPABILITIES.maxFilterScan },
        changePassword: CAPABILITIES.changePassword,
        sort: { ...CAPABILITIES.sort, indexed: indexedQueries(config.sortedIndexes).sorts, maxExaminedWithoutIndex: CAPABILITIES.maxFilterScan },
        etag: CAPABILITIES.etag,
        extensions: CAPABILITIES.extensions,
        pagination: {
          cursor: true,
          index: true,
          defaultPaginationMethod: 'index',
          defaultPageSize: config.defaultPageSize,
          maxPageSize: config.maxPageSize,
          cursorTimeout: CAPABILITIES.cursorTimeout,
        },
        authenticationSchemes: oauthEnabled
          ? [BEARER_TOKEN_SCHEME, oauthClientCredentialsScheme(tokenEndpointUrl(baseUrl(event)))]
          : [BEARER_TOKEN_SCHEME],
      }),
    );
  const resourceTypes = async (event: ScimEvent) => scimResponse(200, resourceTypesDocument(registry, baseUrl(event)));
  const resourceType = async (event: ScimEvent, [id]: string[]) => {
    const doc = resourceTypeDocument(registry, baseUrl(event), id);
    if (!doc) throw ScimError.notFound(`Resource type ${id} not found`);
    return scimResponse(200, doc);
  };
  const schemas = async (event: ScimEvent) => scimResponse(200, schemasDocument(registry, baseUrl(event)));
  const schema = async (event: ScimEvent, [urn]: string[]) => {
    const doc = schemaDocument(registry, baseUrl(event), urn);
    if (!doc) throw ScimError.notFound(`Schema ${urn} not found`);
    return scimResponse(200, doc);
  };
  return [
    { method: 'GET', pattern: /^\/ServiceProviderConfigs?$/i, handle: spc },
    { method: 'GET', pattern: /^\/ResourceTypes$/i, handle: resourceTypes },
    { method: 'GET', pattern: /^\/ResourceTypes\/([^/]+)$/i, handle: resourceType },
    { method: 'GET', pattern: /^\/Schemas$/i, handle: schemas },
    { method: 'GET', pattern: /^\/Schemas\/([^/]+)$/i, handle: schema },
  ];
}
