/** The error codes of RFC 6749 §5.2 we answer with (plus `temporarily_unavailable` for our 429). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable'
  | 'server_error';

/** Default HTTP status of each code (RFC 6749 §5.2: 400, except 401 for a failed client authentication). */
const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  temporarily_unavailable: 429,
  server_error: 500,
};

/**
 * A token request refused. `description` goes to the client (RFC 6749 §5.2 error_description:
 * ASCII, no secrets); `reason` is a short machine word for logs and metrics only.
 */
export class OAuthError extends Error {
  override name = 'OAuthError';
  /** The HTTP status answered. */
  readonly status: number;
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly reason: string = code,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
    this.status = options.status ?? STATUS[code];
  }
}
