import { ScimError } from '../scim/errors';
import { CLOCK_SKEW_SECONDS } from './oauth/constants';

/**
 * Throws ScimError 401 when the authorizer context says the credential expired (`expiresAt`,
 * epoch seconds, set for OAuth access tokens). API Gateway caches the authorizer's Allow per
 * Authorization header for its TTL (300 s by default), which would otherwise let an access token
 * work for up to that long after its `exp`; the handlers check again so it stops at `exp` (plus
 * the same clock skew the authorizer allows). Static tokens carry no `expiresAt`.
 */
export function requireUnexpired(expiresAt: string | undefined, now: number = Date.now()): void {
  if (expiresAt === undefined || expiresAt === '') return;
  const exp = Number(expiresAt);
  if (!Number.isFinite(exp) || now >= (exp + CLOCK_SKEW_SECONDS) * 1000) {
    throw new ScimError(401, undefined, 'the access token has expired; request a new one from the token endpoint', {
      // RFC 6750 §3.1: an expired token is invalid_token.
      headers: { 'WWW-Authenticate': 'Bearer realm="scim", error="invalid_token", error_description="the access token expired"' },
    });
  }
}
