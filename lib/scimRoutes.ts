import type * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** The integrations the SCIM routes send requests to. */
export interface ScimRouteIntegrations {
  /** Users and the root `/.search`. */
  readonly users: apigateway.Integration;
  /** Groups. */
  readonly groups: apigateway.Integration;
  /** Discovery endpoints and unknown paths. */
  readonly discovery: apigateway.Integration;
  /** `/Bulk`. */
  readonly bulk: apigateway.Integration;
}

/**
 * Adds the SCIM routes under `v2` (a `/scim/v2` resource: the silo API's at the root, the pooled
 * API's under `/t/{tenant}`), so both modes route exactly alike. ANY on each route: the handler's
 * router answers unsupported methods with a SCIM 405 instead of API Gateway's 403 "Missing
 * Authentication Token". `options` applies to every method (the pool requires its usage key).
 */
export function addScimRoutes(v2: apigateway.IResource, integrations: ScimRouteIntegrations, options?: apigateway.MethodOptions): void {
  const { users, groups, discovery, bulk } = integrations;
  const route = (parent: apigateway.IResource, part: string, target: apigateway.Integration): apigateway.IResource => {
    const r = parent.addResource(part);
    r.addMethod('ANY', target, options);
    return r;
  };
  // Anything else under /scim/v2 (e.g. /Me, typos) reaches discovery, which answers SCIM 404/501.
  v2.addProxy({ anyMethod: false }).addMethod('ANY', discovery, options);
  const usersRes = route(v2, 'Users', users);
  route(usersRes, '{id}', users);
  route(usersRes, '.search', users);
  const groupsRes = route(v2, 'Groups', groups);
  route(groupsRes, '{id}', groups);
  route(groupsRes, '.search', groups);
  // Root search (RFC 7644 §3.4.3) spans both types: the users function answers it.
  route(v2, '.search', users);
  route(v2, 'Bulk', bulk);
  route(v2, 'ServiceProviderConfig', discovery);
  route(route(v2, 'ResourceTypes', discovery), '{id}', discovery);
  route(route(v2, 'Schemas', discovery), '{id}', discovery);
}
