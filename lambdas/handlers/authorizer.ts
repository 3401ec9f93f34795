import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAuthorizer, type RequestAuthorizer } from '../auth/createAuthorizer';
import { limitMetrics } from '../auth/limitMetrics';
import { SECRET_CACHE_TTL_MS } from '../auth/constants';
import { createAccessTokenVerifier } from '../auth/oauth/accessToken';
import { kmsKeyKid, loadKmsPublicKey } from '../auth/oauth/KmsAccessTokenSigner';
import { parseOAuthConfig } from '../auth/oauth/oauthConfig';
import { SecretsManagerSecretSource } from '../auth/SecretsManagerSecretSource';
import { isValidTenant } from '../auth/token';
import { METRIC_DIMENSIONS, METRIC_SETS_BY_DETAIL, METRICS_DETAIL_ENV, METRICS_NAMESPACE, metricsDetailOf } from '../contracts/metricNames';

/**
 * Builds the Lambda authorizer from the environment:
 * - `SECRET_ARN` (or `SECRET_ID`): the tenant's token secret, ARN or name;
 * - `TENANT`: the tenant name;
 * - `OAUTH_KEY_ARN` and `OAUTH_CONFIG` when OAuth is enabled: access tokens are verified with the
 *   key's public half (one kms:GetPublicKey per container, then cached; never kms:Sign).
 * - `METRICS_DETAIL`: which metrics to emit (metricNames.ts METRIC_SETS; unset means all).
 * A missing or invalid variable throws at init, so a misdeployed stack fails loudly (500) rather
 * than silently denying.
 */
export function createAuthorizerFromEnv(env: NodeJS.ProcessEnv, client = new SecretsManagerClient({}), kms?: KMSClient): RequestAuthorizer {
  const secretId = env.SECRET_ARN ?? env.SECRET_ID;
  const tenant = env.TENANT;
  if (!secretId) throw new Error('authorizer: SECRET_ARN is not set');
  if (!tenant || !isValidTenant(tenant)) throw new Error('authorizer: TENANT is not set or not a valid tenant name');
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim';
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  // metricNames.ts: every metric has exactly the dimension set [tenant]; drop Powertools' `service`.
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.tenant]: tenant });
  const oauth = parseOAuthConfig(env.OAUTH_CONFIG);
  const keyArn = env.OAUTH_KEY_ARN;
  if (oauth.enabled && !keyArn) throw new Error('authorizer: OAUTH_KEY_ARN is not set while OAuth is enabled');
  // The KMS client is loaded with the first access token, not at init: ~10 ms of every cold start
  // of a tenant without OAuth, which never verifies one.
  const kmsClient = async (): Promise<KMSClient> => kms ?? new (await import('@aws-sdk/client-kms')).KMSClient({});
  return createAuthorizer({
    ...(oauth.enabled && keyArn
      ? {
          accessTokens: createAccessTokenVerifier({ tenant, kid: kmsKeyKid(keyArn), loadPublicKey: async () => loadKmsPublicKey(await kmsClient(), keyArn) }),
          federatedClientIds: oauth.federation.map((f) => f.clientId),
        }
      : {}),
    source: new SecretsManagerSecretSource({ client, secretId }),
    tenant,
    cacheTtlMs: SECRET_CACHE_TTL_MS,
    logger: new Logger({ serviceName, persistentKeys: { tenant } }),
    metrics: limitMetrics(metrics, METRIC_SETS_BY_DETAIL[metricsDetailOf(env[METRICS_DETAIL_ENV])]),
  });
}

/** The Lambda entry point; the client, cache, logger and metrics live for the container's life. */
export const handler: RequestAuthorizer = createAuthorizerFromEnv(process.env);
