import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../http/createScimHandler';
import { route } from '../http/router';
import { deployedOAuthEnabled } from '../auth/oauth/deployedOAuthEnabled';
import { buildRegistry, deployedScimConfig } from '../scim/config';
import { lazy } from './resources/deps';
import { discoveryRoutes, type DiscoveryDeps } from './resources/discoveryRoutes';

/** The discovery function: /ServiceProviderConfig, /ResourceTypes, /Schemas. No table access. */
export function createDiscoveryHandler(deps: DiscoveryDeps) {
  return createScimHandler(route(discoveryRoutes(deps)));
}

/** Discovery deps from SCIM_CONFIG (the tenant's custom extensions and page sizes) and OAUTH_CONFIG (is OAuth on). */
export function discoveryDepsFromEnv(env: NodeJS.ProcessEnv = process.env): DiscoveryDeps {
  const config = deployedScimConfig(env.SCIM_CONFIG ? JSON.parse(env.SCIM_CONFIG) : {});
  return { config, registry: buildRegistry(config), oauthEnabled: deployedOAuthEnabled(env.OAUTH_CONFIG) };
}

const instance = lazy(() => createDiscoveryHandler(discoveryDepsFromEnv()));

/** Lambda entry point (env: SCIM_CONFIG, OAUTH_CONFIG, TENANT). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
