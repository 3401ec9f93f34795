/** Rendering stored resources in SCIM wire shape (RFC 7643 §3.1), pure. */
export { renderResource, wireForUpdate, ENDPOINT, type RenderExtras, type ResourceState, type RenderedMemberRef, type RenderedUserGroup } from './renderResource';
