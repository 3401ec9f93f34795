import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { SECRET_CACHE_TTL_MS } from '../../auth/constants';
import { KmsAccessTokenSigner } from '../../auth/oauth/KmsAccessTokenSigner';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, METRICS_TENANT_ENV } from '../../contracts/metricNames';
import { createPoolClientReader } from '../../pool/poolClients';
import { createPoolTokenEndpoint, type PoolTokenEndpoint } from '../../pool/createPoolTokenEndpoint';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

/**
 * Builds the pooled `POST /t/{tenant}/oauth2/token` from the environment: `TABLE_NAME` (tenant
 * records with their OAuth settings, and their clients' secret hashes), `OAUTH_KEY_ARN` (the
 * pool's KMS signing key, which only this function's role may kms:Sign with) and `METRICS_TENANT`
 * (the pool's one metrics series). Throws at init when a variable is missing.
 */
export function createPoolTokenEndpointFromEnv(env: NodeJS.ProcessEnv = process.env, kms: KMSClient = new KMSClient({})): PoolTokenEndpoint {
  if (!env.OAUTH_KEY_ARN) throw new Error('pool token: OAUTH_KEY_ARN is not set');
  const { directory } = poolOptionsFromEnv(env);
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim';
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.tenant]: env[METRICS_TENANT_ENV] ?? 'pool' });
  return createPoolTokenEndpoint({
    directory,
    readClients: createPoolClientReader({ directory, ttlMs: SECRET_CACHE_TTL_MS }),
    signer: new KmsAccessTokenSigner(kms, env.OAUTH_KEY_ARN),
    logger: new Logger({ serviceName }),
    metrics,
  });
}

const instance = lazy(() => createPoolTokenEndpointFromEnv());

/** Lambda entry point of the pooled token endpoint; caches and failure counters live for the container's life. */
export const handler = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => instance()(event);
