import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { generateToken, hashToken, tokenIdFromHash } from '../../lambdas/auth/token';
import type { TokenRecord, TokenSecret } from '../../lambdas/auth/tokenSecret';
import type { Scope } from '../../lambdas/auth/scopes';

/** Test tenant. */
export const TENANT = 'acme';

/** Fixed test clock: 2026-01-01T00:00:00Z. */
export const NOW = Date.parse('2026-01-01T00:00:00.000Z');

/** A fresh token and its record. */
export function issued(overrides: Partial<TokenRecord> & { scopes?: Scope[] } = {}): { token: string; record: TokenRecord } {
  const token = generateToken(TENANT);
  const sha256 = hashToken(token);
  return {
    token,
    record: { id: tokenIdFromHash(sha256), sha256, createdAt: new Date(NOW - 86_400_000).toISOString(), label: 'test', scopes: ['scim:read', 'scim:write'], ...overrides },
  };
}

/** A secret JSON text holding `records`. */
export function secretText(records: TokenRecord[], tenant = TENANT): string {
  const secret: TokenSecret = { version: 1, tenant, tokens: records };
  return JSON.stringify(secret);
}

/** The method ARN API Gateway sends for `method path` on stage `prod`. */
export function methodArn(method = 'GET', path = 'scim/v2/Users'): string {
  return `arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/${method}/${path}`;
}

/** A REQUEST authorizer event with the given headers. */
export function authEvent(
  headers: Record<string, string> = {},
  more: Partial<APIGatewayRequestAuthorizerEvent> = {},
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: methodArn(),
    resource: '/scim/v2/Users',
    path: '/scim/v2/Users',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
    ...more,
  };
}
