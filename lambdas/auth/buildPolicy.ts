import type { PolicyDocument } from 'aws-lambda';
import type { Scope } from './scopes';

import { SCIM_BASE_PATH } from '../contracts/scimApi';

/** The API's SCIM route prefix, as in `/scim/v2/Users` (contracts/scimApi.ts). */
export const SCIM_ROUTE_PREFIX = SCIM_BASE_PATH;

/** The pull API's route (GET /events), outside the SCIM prefix: SCIM policies never reach it. */
export const EVENTS_ROUTE = 'events';

/**
 * The `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>` part of a method ARN
 * (`.../<stage>/<METHOD>/<path>`); undefined when the ARN is not an execute-api method ARN.
 */
export function stageArn(methodArn: string): string | undefined {
  // The resource part may itself hold colons (`/Schemas/urn:ietf:params:...`): split off the first five only.
  const head = methodArn.split(':', 5);
  const parts = [...head, methodArn.slice(head.join(':').length + 1)];
  if (head.length !== 5 || parts[0] !== 'arn' || parts[2] !== 'execute-api') return undefined;
  const [apiId, stage] = parts[5].split('/');
  if (!apiId || !stage) return undefined;
  return `${parts.slice(0, 5).join(':')}:${apiId}/${stage}`;
}

/**
 * The policy for a token with `scopes`. API Gateway caches the policy per token and reuses it for
 * every route, so it must describe all routes the token may reach, not only the one being called:
 * - read+write: every method under the SCIM prefix;
 * - read only: GET anywhere under it, POST only on `/.search` (root and per resource type);
 * - write only: everything but those reads (explicit Deny, which wins over Allow in IAM);
 * - events:read: `GET /events` only (`eventsRoute`: `t/<tenant>/events` in a pooled API), and no
 *   SCIM route (a token never holds both, see scopes.ts).
 * Anything not allowed answers 403 ACCESS_DENIED (a SCIM body, see gatewayResponses.ts); the
 * handlers check again with requireScope, so the rule holds even without API Gateway.
 */
export function buildPolicy(stage: string, scopes: readonly Scope[], prefix = SCIM_ROUTE_PREFIX, eventsRoute = EVENTS_ROUTE): PolicyDocument {
  const all = `${stage}/*/${prefix}/*`;
  const reads = [`${stage}/GET/${prefix}/*`, `${stage}/HEAD/${prefix}/*`, `${stage}/POST/${prefix}/.search`, `${stage}/POST/${prefix}/*/.search`];
  const canRead = scopes.includes('scim:read');
  const canWrite = scopes.includes('scim:write');
  const canPullEvents = scopes.includes('events:read');
  const statements: PolicyDocument['Statement'] = [];
  if (canPullEvents) statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${stage}/GET/${eventsRoute}`] });
  if (canWrite) {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [all] });
    if (!canRead) statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: reads });
  } else if (canRead) {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: reads });
  } else {
    statements.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [all] });
  }
  return { Version: '2012-10-17', Statement: statements };
}
