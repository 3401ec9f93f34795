import { assertScopesSeparate, DEFAULT_SCOPES, SCOPES, type Scope } from '../../auth/scopes';
import { problem, type Reply } from './replies';

/** Longest lifetime the management API gives a token or a client secret, seconds (5 years). */
export const MAX_CREDENTIAL_LIFETIME_SECONDS = 5 * 365 * 24 * 3600;

/** What a request for a static token or an OAuth client may say of the credential. */
export interface CredentialInput {
  readonly label?: unknown;
  readonly scopes?: unknown;
  readonly expiresInSeconds?: unknown;
}

/** A checked credential request: absent fields take their defaults. */
export interface CredentialRequest {
  readonly label: string;
  readonly scopes: Scope[];
  readonly expiresInSeconds?: number;
}

/** True when `value` is a refusal rather than a checked value. */
export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'statusCode' in value;
}

/** The lifetime of a credential (absent: none), or the 400 for a bad one. */
export function readLifetimeSeconds(value: unknown): number | undefined | Reply {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 60 || (value as number) > MAX_CREDENTIAL_LIFETIME_SECONDS) {
    return problem(400, 'invalid_request', `expiresInSeconds must be an integer from 60 to ${MAX_CREDENTIAL_LIFETIME_SECONDS}`);
  }
  return value as number;
}

/**
 * Checks the label, scopes and lifetime of a token or OAuth client to issue, the same for both so a
 * pooled tenant's credentials obey one set of rules: known scopes, `events:read` never beside a
 * SCIM scope (the vendor's app reads events with a credential that cannot change the directory),
 * a label of at most 200 characters.
 */
export function readCredentialInput(input: CredentialInput): CredentialRequest | Reply {
  const scopes = input.scopes === undefined ? [...DEFAULT_SCOPES] : input.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => (SCOPES as readonly string[]).includes(s))) {
    return problem(400, 'invalid_request', `scopes must be a non-empty list of ${SCOPES.join(', ')}`);
  }
  try {
    assertScopesSeparate(scopes as Scope[]);
  } catch (e) {
    return problem(400, 'invalid_request', (e as Error).message);
  }
  const label = input.label === undefined ? 'management API' : input.label;
  if (typeof label !== 'string' || label.length > 200) return problem(400, 'invalid_request', 'label must be a string of at most 200 characters');
  const expiresInSeconds = readLifetimeSeconds(input.expiresInSeconds);
  if (isReply(expiresInSeconds)) return expiresInSeconds;
  return { label, scopes: scopes as Scope[], ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}) };
}
