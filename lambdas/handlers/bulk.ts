import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../http/createScimHandler';
import { route } from '../http/router';
import { bulkDepsFromEnv, lazy, type BulkDeps } from './resources/deps';
import { bulkRoutes, BULK_LIMITS } from './resources/bulkRoutes';

/** The bulk function: /Bulk (RFC 7644 §3.7), with the bulk payload limit instead of the default. */
export function createBulkHandler(deps: BulkDeps) {
  return createScimHandler(route(bulkRoutes(deps)), { body: { maxBytes: BULK_LIMITS.maxPayloadSize } });
}

const instance = lazy(() => createBulkHandler(bulkDepsFromEnv()));

/** Lambda entry point (env: TABLE_NAME, SCIM_CONFIG, TENANT). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
