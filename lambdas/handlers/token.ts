import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { SECRET_CACHE_TTL_MS } from '../auth/constants';
import { createCachedSecretReader } from '../auth/createCachedSecretReader';
import { createTokenEndpoint, type TokenEndpoint } from '../auth/oauth/createTokenEndpoint';
import { KmsAccessTokenSigner } from '../auth/oauth/KmsAccessTokenSigner';
import { parseOAuthConfig } from '../auth/oauth/oauthConfig';
import { SecretsManagerSecretSource } from '../auth/SecretsManagerSecretSource';
import { isValidTenant } from '../auth/token';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../contracts/metricNames';

/** Clients the token function talks to; injectable for tests. */
export interface TokenFunctionClients {
  readonly secretsManager: SecretsManagerClient;
  readonly kms: KMSClient;
}

/**
 * Builds POST /oauth2/token from the environment:
 * - `TENANT`: the tenant; `SECRET_ARN`: its token secret (OAuth clients and their secret hashes);
 * - `OAUTH_KEY_ARN`: the KMS signing key (the only key this function may kms:Sign with);
 * - `OAUTH_CONFIG`: lifetime and federated clients (lambdas/auth/oauth/oauthConfig.ts).
 * A missing or invalid variable throws at init: a misdeployed stack fails loudly.
 */
export function createTokenEndpointFromEnv(
  env: NodeJS.ProcessEnv,
  clients: TokenFunctionClients = { secretsManager: new SecretsManagerClient({}), kms: new KMSClient({}) },
): TokenEndpoint {
  const tenant = env.TENANT;
  if (!tenant || !isValidTenant(tenant)) throw new Error('token: TENANT is not set or not a valid tenant name');
  if (!env.SECRET_ARN) throw new Error('token: SECRET_ARN is not set');
  if (!env.OAUTH_KEY_ARN) throw new Error('token: OAUTH_KEY_ARN is not set');
  const config = parseOAuthConfig(env.OAUTH_CONFIG);
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim';
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.tenant]: tenant });
  return createTokenEndpoint({
    tenant,
    config,
    readSecret: createCachedSecretReader({
      source: new SecretsManagerSecretSource({ client: clients.secretsManager, secretId: env.SECRET_ARN }),
      tenant,
      ttlMs: SECRET_CACHE_TTL_MS,
    }),
    signer: new KmsAccessTokenSigner(clients.kms, env.OAUTH_KEY_ARN),
    logger: new Logger({ serviceName, persistentKeys: { tenant } }),
    metrics,
  });
}

let instance: TokenEndpoint | undefined;

/** The Lambda entry point; clients, caches and the failure counter live for the container's life. */
export const handler = (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => (instance ??= createTokenEndpointFromEnv(process.env))(event);
