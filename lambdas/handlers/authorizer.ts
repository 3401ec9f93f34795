import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAuthorizer, type RequestAuthorizer } from '../auth/createAuthorizer';
import { SECRET_CACHE_TTL_MS } from '../auth/constants';
import { SecretsManagerSecretSource } from '../auth/SecretsManagerSecretSource';
import { isValidTenant } from '../auth/token';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../http/metricNames';

/**
 * Builds the Lambda authorizer from the environment:
 * - `SECRET_ARN` (or `SECRET_ID`): the tenant's token secret, ARN or name;
 * - `TENANT`: the tenant name.
 * A missing or invalid variable throws at init, so a misdeployed stack fails loudly (500) rather
 * than silently denying.
 */
export function createAuthorizerFromEnv(env: NodeJS.ProcessEnv, client = new SecretsManagerClient({})): RequestAuthorizer {
  const secretId = env.SECRET_ARN ?? env.SECRET_ID;
  const tenant = env.TENANT;
  if (!secretId) throw new Error('authorizer: SECRET_ARN is not set');
  if (!tenant || !isValidTenant(tenant)) throw new Error('authorizer: TENANT is not set or not a valid tenant name');
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim';
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  // metricNames.ts: every metric has exactly the dimension set [tenant]; drop Powertools' `service`.
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.tenant]: tenant });
  return createAuthorizer({
    source: new SecretsManagerSecretSource({ client, secretId }),
    tenant,
    cacheTtlMs: SECRET_CACHE_TTL_MS,
    logger: new Logger({ serviceName, persistentKeys: { tenant } }),
    metrics,
  });
}

/** The Lambda entry point; the client, cache, logger and metrics live for the container's life. */
export const handler: RequestAuthorizer = createAuthorizerFromEnv(process.env);
