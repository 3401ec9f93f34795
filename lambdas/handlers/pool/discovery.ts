import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createDiscoveryHandler } from '../discovery';
import { tenantOAuthConfig } from '../../auth/oauth/oauthConfig';
import { createPoolHandler } from '../../pool/createPoolHandler';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

// Discovery reads the tenant's record (its custom extensions, page sizes and OAuth settings) and nothing else.
const instance = lazy(() => createPoolHandler(poolOptionsFromEnv(), (deps, record) => createDiscoveryHandler({ config: deps.config, registry: deps.registry, oauthEnabled: tenantOAuthConfig(record).enabled })));

/** Lambda entry point of the pooled stack's discovery function: each tenant's /Schemas and /ServiceProviderConfig (env: TABLE_NAME). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
