import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createGroupsHandler } from '../groups';
import { createPoolHandler } from '../../pool/createPoolHandler';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

const instance = lazy(() => createPoolHandler(poolOptionsFromEnv(), createGroupsHandler));

/** Lambda entry point of the pooled stack's groups function: the silo handler per tenant (env: TABLE_NAME). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
