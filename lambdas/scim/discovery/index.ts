/** Pure renderers of the discovery documents (RFC 7644 §4), built from the registry. */
/** The /ServiceProviderConfig document from what the deployment supports; the bearer scheme; RFC 9865 pagination. */
export {
  serviceProviderConfig,
  BEARER_TOKEN_SCHEME,
  type ServiceProviderConfigOptions,
  type PaginationCapabilities,
  type AuthenticationScheme,
} from './serviceProviderConfig';
/** /ResourceTypes (ListResponse) and /ResourceTypes/{id}. */
export { resourceTypesDocument, resourceTypeDocument } from './resourceTypesDocument';
/** /Schemas (ListResponse), /Schemas/{urn}, and one attribute with all its characteristics. */
export { schemasDocument, schemaDocument, renderAttribute } from './schemasDocument';
/** Strips trailing slashes from a base URL. */
export { trimBaseUrl } from './baseUrl';
