/**
 * Tokens and the Lambda authorizer (issue 7).
 *
 * Tokens: `scim_<tenant>_<43 base64url chars>` (256 random bits), stored only as SHA-256 in the
 * tenant's secret (`{ version: 1, tenant, tokens: [...] }`, see tokenSecret.ts), each with scopes
 * `scim:read` and/or `scim:write`. Several may be valid at once, so rotation is create -> paste
 * into the IdP -> revoke the old, with no failed call in between.
 *
 * Worst-case revocation delay = SECRET_CACHE_TTL_MS (60 s, this container's copy of the secret)
 * + API Gateway's authorizer result TTL (300 s in the stack) = 6 minutes; see
 * revocationDelaySeconds. Locally: LOCAL_SECRET_CACHE_TTL_MS (1 s), no API Gateway cache.
 *
 * Fail closed: a secret that cannot be read or is malformed denies every call, logs an error and
 * counts AuthorizerSecretErrors. Tokens and hashes never appear in logs; token ids (`tok_...`) do.
 */
export * from './buildPolicy';
export * from './constants';
export * from './createAuthorizer';
export * from './createCachedSecretReader';
export * from './createLocalAuthorizer';
export * from './errors';
export * from './evaluatePolicy';
export * from './findMatchingRecord';
export * from '../contracts/authGatewayResponses';
export * from './LocalFileSecretSource';
export * from './parseAuthorizationHeader';
export * from './requireScope';
export * from './scopes';
export * from './SecretSource';
export * from './SecretsManagerSecretSource';
export * from './token';
export * from './tokenSecret';
export * from './tokenStore';
