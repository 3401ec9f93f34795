import { LOCAL_SECRET_CACHE_TTL_MS } from './constants';
import { createAuthorizer, type CreateAuthorizerOptions, type RequestAuthorizer } from './createAuthorizer';
import { LocalFileSecretSource } from './LocalFileSecretSource';

/** Options of createLocalAuthorizer: the local data dir instead of a source. */
export interface CreateLocalAuthorizerOptions extends Omit<CreateAuthorizerOptions, 'source' | 'cacheTtlMs'> {
  /** The local data dir holding `tokens.json`. */
  readonly dataDir: string;
  /** @default LOCAL_SECRET_CACHE_TTL_MS (1 s), so CLI rotations show up without a restart */
  readonly cacheTtlMs?: number;
}

/**
 * The authorizer for `npm start`: the same code as in Lambda, reading `<dataDir>/tokens.json`.
 * The local server builds a REQUEST authorizer event per request (methodArn like
 * `arn:aws:execute-api:local:000000000000:local/local/GET/scim/v2/Users`), maps a thrown
 * `Unauthorized` to UNAUTHORIZED_RESPONSE, and checks the returned policy with evaluatePolicy
 * (false -> ACCESS_DENIED_RESPONSE).
 */
export function createLocalAuthorizer(options: CreateLocalAuthorizerOptions): RequestAuthorizer {
  return createAuthorizer({
    ...options,
    source: LocalFileSecretSource.inDataDir(options.dataDir),
    cacheTtlMs: options.cacheTtlMs ?? LOCAL_SECRET_CACHE_TTL_MS,
  });
}
