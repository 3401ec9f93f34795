/**
 * The authorizer's cache lifetimes. They are defined in lambdas/contracts/ttls.ts, which lib/ reads
 * too, so the revocation delay the token CLI and the README print is the one that runs:
 *
 *   SECRET_CACHE_TTL_MS (this container's copy of the secret)
 *   + API Gateway's authorizer result TTL (the policy cached per Authorization header value)
 */
export {
  API_GATEWAY_AUTHORIZER_CACHE_TTL_SECONDS,
  LOCAL_SECRET_CACHE_TTL_MS,
  SECRET_CACHE_TTL_MS,
  SECRET_ERROR_CACHE_TTL_MS,
  revocationDelaySeconds,
} from '../contracts/ttls';
