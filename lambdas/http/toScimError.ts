import { ScimError } from '../scim/errors';

/** Error names thrown by lambdas/store (matched by name so bundling cannot split the classes). */
const STORE_ERRORS: Record<string, (e: Error & Record<string, unknown>) => ScimError> = {
  NotFoundError: (e) => ScimError.notFound(e.message),
  ConflictError: (e) => ScimError.conflict(e.message),
  PreconditionFailedError: (e) => ScimError.preconditionFailed(e.message),
  InvalidMemberError: (e) => ScimError.badRequest('invalidValue', e.message),
  CycleError: (e) => ScimError.badRequest('invalidValue', e.message),
  TooManyResultsError: (e) => ScimError.badRequest('tooMany', e.message),
  InvalidCursorError: (e) => ScimError.badRequest('invalidCursor', e.message),
  // DynamoDB's 400 KB item limit: the client sent more than one resource may hold.
  ResourceTooLargeError: (e) => ScimError.badRequest('invalidValue', e.message),
  StoreThrottledError: () => throttled(),
};

/** AWS SDK error names that mean "slow down", after the SDK's own retries. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
]);

function throttled(): ScimError {
  // Entra and Okta retry 429 honouring Retry-After (docs/idp-quirks.md); a 500 would count toward quarantine.
  return new ScimError(429, undefined, 'The service is busy; retry after the delay in Retry-After', {
    headers: { 'Retry-After': '2' },
  });
}

/**
 * Turns any thrown value into the ScimError to answer with: protocol errors pass through,
 * store errors map to their SCIM status, throttling to 429; anything else is `undefined`
 * (an unexpected failure: the caller logs it and answers a detail-free 500).
 */
export function toScimError(e: unknown): ScimError | undefined {
  if (e instanceof ScimError) return e;
  if (!(e instanceof Error)) return undefined;
  if ((e as { name?: string }).name === 'ScimError' && typeof (e as { status?: unknown }).status === 'number') return e as ScimError;
  const mapStore = STORE_ERRORS[e.name];
  if (mapStore) return mapStore(e as Error & Record<string, unknown>);
  if (THROTTLING.has(e.name)) return throttled();
  return undefined;
}
