import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { requireScope } from '../auth/requireScope';
import { EVENTS_ROUTE } from '../auth/buildPolicy';
import { createDynamoClients } from '../store/clients';
import { InvalidCursorError } from '../store/errors';
import { EventLog } from '../store/eventLog';
import { lazy } from './resources/deps';

/** Events a page holds by default, and at most (`limit`). */
export const EVENTS_PAGE = { defaultLimit: 100, maxLimit: 1000 } as const;

/** Bytes of events a page holds at most: under Lambda's 6 MB response payload, with room for the envelope. */
export const EVENTS_PAGE_MAX_BYTES = 5 * 1024 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';

function problem(status: number, detail: string): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' }, body: JSON.stringify({ status, detail }) };
}

function param(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (k.toLowerCase() === name && v != null) return v;
  return undefined;
}

/**
 * `GET /events?after=<cursor>&limit=<n>`: the tenant's change events for an app that was down or
 * polls instead of subscribing. Answers `{ "events": [...], "next": "<cursor>" }` in log order (a
 * resource's events in commit order), at most `limit` (default 100, at most 1000) and 5 MB; pass
 * `next` as `after` to continue: pages never skip an event, and `next` moves on even when a page is
 * empty. An event may come twice after a retry upstream: de-duplicate on its `id`. Only tokens
 * with `events:read` get here (the authorizer's policy; checked again below).
 */
export function createEventsHandler(log: EventLog | ((tenant: string) => EventLog)) {
  // A pooled table: the log of the tenant the authorizer found in the credential, never the URL's.
  const logFor = typeof log === 'function' ? log : () => log;
  return async (event: APIGatewayProxyEvent, _context?: Context): Promise<APIGatewayProxyResult> => {
    try {
      requireScope((event.requestContext?.authorizer as { scopes?: string } | undefined)?.scopes, event.httpMethod ?? 'GET', `/${EVENTS_ROUTE}`);
    } catch {
      return problem(403, 'this token lacks the events:read scope; issue one with npm run token -- create --scope events');
    }
    if ((event.httpMethod ?? 'GET').toUpperCase() !== 'GET') return { ...problem(405, 'GET /events only'), headers: { 'Content-Type': JSON_TYPE, Allow: 'GET' } };
    const limitText = param(event, 'limit');
    const limit = limitText === undefined ? EVENTS_PAGE.defaultLimit : Number(limitText);
    if (!/^\d{1,4}$/.test(limitText ?? '1') || !Number.isInteger(limit) || limit < 1 || limit > EVENTS_PAGE.maxLimit) {
      return problem(400, `limit must be an integer from 1 to ${EVENTS_PAGE.maxLimit}`);
    }
    try {
      const tenant = (event.requestContext?.authorizer as { tenant?: string } | undefined)?.tenant ?? '';
      const page = await logFor(tenant).read(param(event, 'after') || undefined, limit, EVENTS_PAGE_MAX_BYTES);
      // The log keeps each event's JSON text: the page is assembled without parsing it again.
      const body = `{"events":[${page.events.join(',')}],"next":${JSON.stringify(page.cursor)}}`;
      return { statusCode: 200, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' }, body };
    } catch (e) {
      if (e instanceof InvalidCursorError) return problem(400, 'after is not a cursor GET /events issued; start without it or use the last next');
      return problem(500, 'internal error');
    }
  };
}

const instance = lazy(() => {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const { doc } = createDynamoClients({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const retentionDays = Number(process.env.EVENT_LOG_RETENTION_DAYS ?? 7);
  return createEventsHandler(new EventLog({ doc, tableName, retentionDays }));
});

/** Lambda entry point behind `GET /events` (env: TABLE_NAME, EVENT_LOG_RETENTION_DAYS). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => instance()(event, context);
