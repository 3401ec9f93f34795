import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createScimHandler } from '../http/createScimHandler';
import { route } from '../http/router';
import { depsFromEnv, lazy, type HandlerDeps } from './resources/deps';
import { userRoutes } from './resources/userRoutes';
import { rootSearchRoutes } from './resources/rootSearchRoutes';

/** The users function: /Users and the cross-type /.search. */
export function createUsersHandler(deps: HandlerDeps) {
  return createScimHandler(route([...userRoutes(deps), ...rootSearchRoutes(deps)]));
}

const instance = lazy(() => createUsersHandler(depsFromEnv()));

/** Lambda entry point (env: TABLE_NAME, SCIM_CONFIG, TENANT). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
