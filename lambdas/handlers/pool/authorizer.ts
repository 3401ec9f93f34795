import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createPoolAuthorizer } from '../../auth/createPoolAuthorizer';
import { kmsKeyKid, loadKmsPublicKey } from '../../auth/oauth/KmsAccessTokenSigner';
import { createPoolClientReader } from '../../pool/poolClients';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

/** How long a container trusts what it read of a token or tenant: part of the revocation delay (README). */
export const POOL_AUTHORIZER_CACHE_MS = 30_000;

const instance = lazy(() => {
  const { directory } = poolOptionsFromEnv();
  const keyArn = process.env.OAUTH_KEY_ARN;
  const kms = new KMSClient({});
  return createPoolAuthorizer({
    source: directory,
    cacheTtlMs: POOL_AUTHORIZER_CACHE_MS,
    logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim' }),
    // The pool's signing key: one kms:GetPublicKey per container, never a KMS call per request.
    ...(keyArn
      ? { accessTokens: { kid: kmsKeyKid(keyArn), loadPublicKey: () => loadKmsPublicKey(kms, keyArn), readClients: createPoolClientReader({ directory, ttlMs: POOL_AUTHORIZER_CACHE_MS }) } }
      : {}),
  });
});

/**
 * Lambda entry point of the pooled stack's REQUEST authorizer (env: TABLE_NAME, OAUTH_KEY_ARN):
 * one GetItem per uncached static token; an access token is checked against the cached public key
 * and its tenant's cached record and clients.
 */
export const handler = (event: APIGatewayRequestAuthorizerEvent) => instance()(event);
