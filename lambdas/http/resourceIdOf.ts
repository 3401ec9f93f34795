/** Ids we issue are UUIDs; anything else a client put in a path is logged as a marker, not verbatim. */
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The id of the User or Group a request touched, for its log line: the `{id}` of `/Users/{id}` or
 * `/Groups/{id}`, or the id at the end of a 201's Location header. It lets an operator match a
 * request to an entry of the IdP's provisioning log (Entra shows the target's id) without logging
 * personal data: a path segment that is not id-shaped (an email, say) becomes `(not an id)`.
 */
export function resourceIdOf(path: string, location: string | undefined): string | undefined {
  const [kind, id] = path.split('/').filter(Boolean);
  const fromPath = /^(users|groups)$/i.test(kind ?? '') && id !== undefined && id !== '.search' ? id : undefined;
  const candidate = fromPath ?? (location ? location.split('/').pop() : undefined);
  if (candidate === undefined) return undefined;
  let decoded = candidate;
  try {
    decoded = decodeURIComponent(candidate);
  } catch {
    // A malformed escape is not an id either.
  }
  return ID_PATTERN.test(decoded) ? decoded : '(not an id)';
}
