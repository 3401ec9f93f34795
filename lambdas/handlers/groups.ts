import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../http/createScimHandler';
import { route } from '../http/router';
import { depsFromEnv, lazy, type HandlerDeps } from './resources/deps';
import { groupRoutes } from './resources/groupRoutes';

/** The groups function: /Groups and memberships. */
export function createGroupsHandler(deps: HandlerDeps) {
  return createScimHandler(route(groupRoutes(deps)));
}

const instance = lazy(() => createGroupsHandler(depsFromEnv()));

/** Lambda entry point (env: TABLE_NAME, SCIM_CONFIG, TENANT). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
