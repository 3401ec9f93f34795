/**
 * The SCIM API's fixed surface, shared by lib/ (the REST API's resources), the authorizer (its
 * policy's resource pattern), the handlers (paths and base URLs) and the local server. A leaf
 * module: it imports nothing.
 */

/** The API path every SCIM endpoint lives under, without slashes (RFC 7644 §3.13: the version is in the path). */
export const SCIM_BASE_PATH = 'scim/v2';

/** The same as a URL path prefix (`/scim/v2`). */
export const SCIM_BASE = `/${SCIM_BASE_PATH}`;

/** The media type of every SCIM message (RFC 7644 §8.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** The Content-Type our own responses carry (the gateway's fixed responses carry SCIM_MEDIA_TYPE alone). */
export const SCIM_CONTENT_TYPE = `${SCIM_MEDIA_TYPE}; charset=utf-8`;
