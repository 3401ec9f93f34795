import type { APIGatewayProxyResult } from 'aws-lambda';

/** The management API's answer to a request. */
export type Reply = APIGatewayProxyResult;

/** A JSON answer, never cached (it may carry a token or a client secret shown once). */
export function json(statusCode: number, body: unknown): Reply {
  return { statusCode, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}

/** A refusal: `{ error, detail }` with its status. */
export function problem(statusCode: number, error: string, detail: string): Reply {
  return json(statusCode, { error, detail });
}
