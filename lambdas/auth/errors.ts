/** Base of the auth errors: the token secret could not be used. */
export class TokenSecretError extends Error {
  override name = 'TokenSecretError';
}

/** The secret store (Secrets Manager, the local file) could not be read or written. */
export class SecretUnavailableError extends TokenSecretError {
  override name = 'SecretUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The secret's content is not a valid token secret; `issues` is safe to log (no values). */
export class SecretMalformedError extends TokenSecretError {
  override name = 'SecretMalformedError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** Someone else wrote the secret between our read and our write; re-run the command. */
export class ConcurrentModificationError extends TokenSecretError {
  override name = 'ConcurrentModificationError';
}

/** No token record with the given id. */
export class TokenNotFoundError extends Error {
  override name = 'TokenNotFoundError';
  constructor(readonly id: string) {
    super(`no token with id ${id}`);
  }
}

/** A token the operator asked to import (SCIM_LOCAL_TOKEN) was revoked or has expired: it stays refused. */
export class TokenRevokedError extends Error {
  override readonly name = 'TokenRevokedError';
}
