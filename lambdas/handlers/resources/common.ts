import { ScimError } from '../../scim/errors';
import { parseAttributeList, type ProjectionOptions } from '../../scim/projection';
import { parsedBody } from '../../http/middlewares/scimBodyParser';
import { header, queryParam } from '../../http/request';
import { countEvent } from '../../http/observability';
import { effectMetrics, type Effect } from '../../provisioning';
import type { ScimEvent } from '../../http/types';
import type { HandlerDeps } from './deps';

/** The `attributes`/`excludedAttributes` query parameters of a single-resource request. */
export function projectionOf(event: ScimEvent, deps: HandlerDeps, resourceType: 'User' | 'Group'): ProjectionOptions {
  const attributes = parseAttributeList(queryParam(event, 'attributes'));
  const excludedAttributes = parseAttributeList(queryParam(event, 'excludedAttributes'));
  return {
    attributes: attributes.length ? attributes : undefined,
    excludedAttributes: excludedAttributes.length ? excludedAttributes : undefined,
    registry: deps.registry,
    resourceType,
  };
}

/** The parsed JSON body, required for POST/PUT/PATCH. */
export function requireBody(event: ScimEvent): unknown {
  const body = parsedBody(event);
  if (body === undefined) throw ScimError.badRequest('invalidSyntax', 'The request needs a JSON body');
  return body;
}

/** If-Match (RFC 7644 §3.14). */
export function ifMatch(event: ScimEvent): string | undefined {
  return header(event, 'if-match');
}

/** If-None-Match (RFC 7644 §3.14). */
export function ifNoneMatch(event: ScimEvent): string | undefined {
  return header(event, 'if-none-match');
}

/** Page limits of the tenant for list queries. */
export function pageLimits(deps: HandlerDeps) {
  return { defaultPageSize: deps.config.defaultPageSize, maxPageSize: deps.config.maxPageSize };
}

/** Counts a write's provisioning metrics from its effect (what really changed, not what was asked). */
export function countEffect(effect: Effect): void {
  for (const { name, value } of effectMetrics(effect)) countEvent(name, value);
}
