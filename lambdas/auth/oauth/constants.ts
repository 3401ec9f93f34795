/**
 * Limits and fixed values of the OAuth 2.0 token endpoint (issue 16). Imports nothing: lib/ reads
 * the same numbers for the stack (method throttling, alarms) as the handler enforces.
 */

/** The token endpoint's path under the stage, outside `/scim/v2` (no SCIM token is needed to reach it). */
export const TOKEN_ENDPOINT_PATH = 'oauth2/token';

/** Access token lifetime bounds, minutes: Entra's gallery requires 60 min to 6 h. */
export const ACCESS_TOKEN_MIN_MINUTES = 60;
/** See ACCESS_TOKEN_MIN_MINUTES. */
export const ACCESS_TOKEN_MAX_MINUTES = 360;
/** Default access token lifetime, minutes. */
export const ACCESS_TOKEN_DEFAULT_MINUTES = 60;

/**
 * Largest token request body, bytes. A request is a few form fields plus at most one assertion
 * (MAX_ASSERTION_BYTES); anything larger is refused before it is parsed.
 */
export const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

/** Largest `client_assertion`, bytes. Entra's access tokens are 1-3 KB; 8 KB leaves room for groups claims. */
export const MAX_ASSERTION_BYTES = 8 * 1024;

/** Clock skew tolerated on `exp`, `nbf` and `iat` of assertions and access tokens, seconds (RFC 7519 §4.1.4 "small leeway"). */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Longest assertion lifetime accepted (exp - iat), seconds. Entra's access tokens live 60-90
 * minutes; a token minted to live for days is not one of them and is refused (RFC 7523 §3, item 4:
 * the server may reject JWTs with an unreasonably far expiry).
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 24 * 3600;

/** Bound on one JWKS fetch, ms: a slow issuer must not hold the token function until its timeout. */
export const JWKS_FETCH_TIMEOUT_MS = 3_000;

/**
 * After a successful JWKS fetch, how long an unknown `kid` waits before it may trigger another
 * fetch, ms. Entra rolls keys over with weeks of notice; this bounds what a flood of forged kids
 * can make us fetch to one request per window.
 */
export const JWKS_COOLDOWN_MS = 30_000;

/** How long fetched JWKS keys are trusted before they are fetched again, ms. */
export const JWKS_CACHE_MAX_AGE_MS = 6 * 3600 * 1000;

/** `client_assertion_type` of RFC 7523 §2.2 client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Failed client authentications tolerated per (client_id, source IP) within FAILURE_WINDOW_SECONDS
 * before the endpoint answers 429 for the rest of the window: guessing a secret of 256 bits is
 * hopeless anyway, this keeps a guesser from burning the function and the logs.
 */
export const MAX_FAILURES_PER_WINDOW = 10;
/** See MAX_FAILURES_PER_WINDOW. */
export const FAILURE_WINDOW_SECONDS = 300;

/** API Gateway method throttling on the token route: steady requests per second. */
export const TOKEN_ROUTE_RATE_LIMIT = 10;
/** API Gateway method throttling on the token route: burst. */
export const TOKEN_ROUTE_BURST_LIMIT = 20;

/**
 * Reserved concurrency of the token function: bounds how many containers (each with its own
 * failure counter) an attacker can spread guesses over, and keeps a flood of token requests from
 * starving the SCIM functions of the account's concurrency.
 */
export const TOKEN_FUNCTION_RESERVED_CONCURRENCY = 5;

/** JWS `typ` of our access tokens (RFC 9068 §2.1), checked by the authorizer (RFC 8725 §3.11). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Signature algorithm of our access tokens: RSASSA-PKCS1-v1_5 with SHA-256 (KMS RSASSA_PKCS1_V1_5_SHA_256). */
export const ACCESS_TOKEN_ALG = 'RS256';

/**
 * Metrics of the token endpoint (namespace METRICS_NAMESPACE, dimension set [tenant], like every
 * metric of ours). lib/ alarms on OAUTH_METRIC.denied and OAUTH_METRIC.errors by these names.
 */
export const OAUTH_METRIC = {
  /** Access tokens issued. */
  issued: 'OAuthTokensIssued',
  /** Token requests refused with a 4xx (reason in the EMF metadata). */
  denied: 'OAuthTokenDenied',
  /** Token requests that failed on our side (KMS, the secret, an issuer's JWKS): 5xx. */
  errors: 'OAuthTokenErrors',
} as const;

/**
 * The token function's timeout, seconds: a JWKS fetch is bounded by JWKS_FETCH_TIMEOUT_MS and a
 * KMS Sign takes milliseconds; well under API Gateway's 29 s. The stack and the local server use it.
 */
export const TOKEN_FUNCTION_TIMEOUT_SECONDS = 10;
