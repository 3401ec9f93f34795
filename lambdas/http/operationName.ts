/**
 * A stable, low-cardinality name for a SCIM request (`user.create`, `group.patch`,
 * `discovery.schemas`), used in logs and as the `operation` metric dimension.
 */
export function operationName(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const m = method.toUpperCase();
  const [first = '', second] = segments;
  const kind = first.toLowerCase();
  const resource = kind === 'users' ? 'user' : kind === 'groups' ? 'group' : undefined;
  if (resource) {
    if (second === '.search') return `${resource}.search`;
    if (second === undefined) return m === 'POST' ? `${resource}.create` : `${resource}.list`;
    return (
      { GET: `${resource}.get`, PUT: `${resource}.replace`, PATCH: `${resource}.patch`, DELETE: `${resource}.delete` }[m] ??
      `${resource}.other`
    );
  }
  if (kind === '.search') return 'search';
  if (kind === 'bulk') return 'bulk';
  if (kind === 'serviceproviderconfig') return 'discovery.serviceProviderConfig';
  if (kind === 'resourcetypes') return 'discovery.resourceTypes';
  if (kind === 'schemas') return 'discovery.schemas';
  return 'unknown';
}
