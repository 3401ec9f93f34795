import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createPoolAuthorizer } from '../../auth/createPoolAuthorizer';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

/** How long a container trusts what it read of a token or tenant: part of the revocation delay (README). */
export const POOL_AUTHORIZER_CACHE_MS = 30_000;

const instance = lazy(() =>
  createPoolAuthorizer({
    source: poolOptionsFromEnv().directory,
    cacheTtlMs: POOL_AUTHORIZER_CACHE_MS,
    logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'serverless-scim' }),
  }),
);

/** Lambda entry point of the pooled stack's REQUEST authorizer (env: TABLE_NAME): one GetItem per uncached token. */
export const handler = (event: APIGatewayRequestAuthorizerEvent) => instance()(event);
