import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** The API Gateway REST proxy event every SCIM handler receives (also built by the local server). */
export type ScimEvent = APIGatewayProxyEvent;

/** What a SCIM handler returns to API Gateway. */
export type ScimResult = APIGatewayProxyResult;

/** A handler body before the middy chain: event in, result out; throws ScimError for client mistakes. */
export type ScimRoute = (event: ScimEvent, context: Context) => Promise<ScimResult>;

/** The authorizer context API Gateway passes to handlers (strings only). */
export interface AuthorizerContext {
  readonly tokenId?: string;
  readonly tenant?: string;
  /** Space-separated scopes, e.g. "scim:read scim:write". */
  readonly scopes?: string;
  /** OAuth access tokens: `exp` in epoch seconds (the handlers re-check it past API Gateway's cache). */
  readonly expiresAt?: string;
  /** The token's label, for the change feed's actor. */
  readonly tokenLabel?: string;
}
