import { createEventsHandler } from '../handlers/events';
import { tenantOfPoolEventsPath } from '../auth/createPoolAuthorizer';
import { scimErrorBody } from '../scim/errors';
import type { EventLog } from '../store/eventLog';
import type { ProxyHandler } from './createPoolHandler';

/**
 * A pool's `GET /t/<tenant>/events`: the log of the tenant the authorizer found in the credential
 * (never the URL's); a URL naming another tenant answers 404. Its own file, so the pool's events
 * function bundles without the SCIM handlers.
 */
export function createPoolEventsHandler(eventLogFor: (tenant: string) => EventLog): ProxyHandler {
  const events = createEventsHandler(eventLogFor);
  return async (event, context) => {
    const tenant = (event.requestContext?.authorizer as { tenant?: string } | null | undefined)?.tenant;
    if (!tenant || tenantOfPoolEventsPath(event.path ?? '') !== tenant) {
      return { statusCode: 404, headers: { 'Content-Type': 'application/scim+json; charset=utf-8' }, body: JSON.stringify(scimErrorBody(404, 'No such endpoint')) };
    }
    return events(event, context);
  };
}
