import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createPoolEventsHandler } from '../../pool/createPoolEventsHandler';
import { createPoolFeed } from '../../pool/createPoolFeed';
import { lazy } from '../resources/deps';
import { poolOptionsFromEnv } from './env';

const instance = lazy(() => {
  const options = poolOptionsFromEnv();
  const feed = createPoolFeed({ ...options, eventLogRetentionDays: Number(process.env.EVENT_LOG_RETENTION_DAYS ?? 7) });
  return createPoolEventsHandler((tenant) => feed.logFor(tenant));
});

/**
 * Lambda entry point of the pool's `GET /t/{tenant}/events` (env: TABLE_NAME,
 * EVENT_LOG_RETENTION_DAYS): the log of the tenant the authorizer took from the credential; a URL
 * naming another tenant answers 404.
 */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
