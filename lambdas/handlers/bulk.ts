import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../http/createScimHandler';
import { route } from '../http/router';
import { depsFromEnv, lazy, type HandlerDeps } from './resources/deps';
import { bulkRoutes, BULK_LIMITS } from './resources/bulkRoutes';

/** The bulk function: /Bulk (RFC 7644 §3.7), with the bulk payload limit instead of the default. */
export function createBulkHandler(deps: HandlerDeps) {
  return createScimHandler(route(bulkRoutes(deps)), { body: { maxBytes: BULK_LIMITS.maxPayloadSize } });
}

const instance = lazy(() => createBulkHandler(depsFromEnv()));

/** Lambda entry point (env: TABLE_NAME, SCIM_CONFIG, TENANT). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
