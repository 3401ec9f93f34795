import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { METRIC } from '../contracts/metricNames';
import { buildPolicy, stageArn } from './buildPolicy';
import type { HeaderProblem } from './parseAuthorizationHeader';
import type { Scope } from './scopes';

/**
 * What every REQUEST authorizer of ours (the silo one, createAuthorizer.ts, and the pooled one,
 * createPoolAuthorizer.ts) answers the same way: a denial, an Allow, and a failure.
 */

/** The logger calls the authorizer makes (a Powertools Logger fits). */
export type AuthorizerLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** The metrics calls the authorizer makes (a Powertools Metrics with a `tenant` default dimension fits). */
export type AuthorizerMetrics = Pick<Metrics, 'addMetric' | 'addMetadata' | 'publishStoredMetrics'>;

/** Why a request was denied: logged, and attached to the AuthorizerDeny metric as `reason` metadata. */
export type DenyReason =
  | HeaderProblem
  | 'wrongTenant'
  | 'unknownToken'
  | 'expired'
  | 'revoked'
  | 'secretError'
  | 'badMethodArn'
  | 'invalidAccessToken'
  | 'clientRevoked'
  /** Pooled stack: the token's tenant is disabled or gone. */
  | 'tenantDisabled';

/** What an allowed request's handlers find in `requestContext.authorizer` (strings only: API Gateway's rule). */
export interface AuthorizerContext {
  /** The token's public id (`tok_...`), or the OAuth client's id for an access token, for logs and audit. */
  readonly tokenId: string;
  readonly tenant: string;
  /** Space-separated scopes, e.g. `scim:read scim:write`; pass to requireScope. */
  readonly scopes: string;
  /** OAuth access tokens only: their `exp` (epoch seconds), checked again by the handlers (requireUnexpired). */
  readonly expiresAt?: string;
  /** The token's label (who the operator issued it to), for the change feed's and audit's actor. */
  readonly tokenLabel: string;
  /** Index signature so it fits APIGatewayAuthorizerResultContext. */
  readonly [key: string]: string | undefined;
}

/** A Lambda REQUEST authorizer. */
export type RequestAuthorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/**
 * The message a Lambda authorizer throws to make API Gateway answer 401 (the UNAUTHORIZED gateway
 * response); any other error becomes a 500.
 */
export const UNAUTHORIZED = 'Unauthorized';

/** Denies a request: throws {@link UNAUTHORIZED}. */
export type Deny = (reason: DenyReason, id?: string) => never;

/** The denial: logs the reason and the token's public id (never the token), counts AuthorizerDeny, throws Unauthorized. */
export function createDeny(logger?: AuthorizerLogger, metrics?: AuthorizerMetrics): Deny {
  return (reason, id) => {
    logger?.warn('authorizer denied request', { reason, ...(id ? { tokenId: id } : {}) });
    metrics?.addMetric(METRIC.authorizerDeny, MetricUnit.Count, 1);
    metrics?.addMetadata('reason', reason);
    throw new Error(UNAUTHORIZED);
  };
}

/** What an Allow grants. */
export interface Grant {
  readonly principalId: string;
  readonly scopes: readonly Scope[];
  /** The routes the policy covers, below the stage (`scim/v2`, `t/<tenant>/scim/v2`). */
  readonly routePrefix: string;
  /** The pull route an events:read token may GET (`t/<tenant>/events` pooled). @default EVENTS_ROUTE */
  readonly eventsRoute?: string;
  readonly context: AuthorizerContext;
  /** What the "allowed" log line says (ids and scopes, never a token). */
  readonly log: Record<string, unknown>;
  /** The API key a usage plan meters the request under (pooled stack: one per tenant). */
  readonly usageIdentifierKey?: string;
}

/**
 * The Allow answer: a policy for the routes of the stage the method ARN names that the scopes
 * permit, with the context, logged and counted (AuthorizerAllow). Denies `badMethodArn` when the
 * ARN names no stage.
 */
export function allow(event: APIGatewayRequestAuthorizerEvent, grant: Grant, deny: Deny, logger?: AuthorizerLogger, metrics?: AuthorizerMetrics): APIGatewayAuthorizerResult {
  const stage = stageArn(event.methodArn);
  if (!stage) deny('badMethodArn', grant.principalId);
  logger?.info('authorizer allowed request', grant.log);
  metrics?.addMetric(METRIC.authorizerAllow, MetricUnit.Count, 1);
  return {
    principalId: grant.principalId,
    policyDocument: buildPolicy(stage, grant.scopes, grant.routePrefix, grant.eventsRoute),
    context: grant.context,
    ...(grant.usageIdentifierKey ? { usageIdentifierKey: grant.usageIdentifierKey } : {}),
  };
}

/**
 * Wraps an authorizer so that a failure other than a denial (API Gateway answers it 500) is
 * logged and counted as AuthorizerFailures: an alarm can then tell a mistyped token from a bug.
 * Metrics are published once per invocation, since Lambda may freeze the container right after.
 */
export function reportingFailures(authorize: RequestAuthorizer, logger?: AuthorizerLogger, metrics?: AuthorizerMetrics): RequestAuthorizer {
  return async (event) => {
    try {
      return await authorize(event);
    } catch (e) {
      if (!(e instanceof Error && e.message === UNAUTHORIZED)) {
        logger?.error('authorizer failed', { errorName: e instanceof Error ? e.name : 'unknown' });
        metrics?.addMetric(METRIC.authorizerFailures, MetricUnit.Count, 1);
      }
      throw e;
    } finally {
      metrics?.publishStoredMetrics();
    }
  };
}
