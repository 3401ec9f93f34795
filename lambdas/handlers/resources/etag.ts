import { ScimError } from '../../scim/errors';

/** RFC 7644 §3.14: `meta.version` is a weak ETag derived from the stored version number. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Parses an If-Match / If-None-Match value into version numbers; `*` matches any. */
function parseTags(value: string): { any: boolean; versions: number[] } {
  const versions: number[] = [];
  let any = false;
  for (const part of value.split(',')) {
    const tag = part.trim();
    if (tag === '*') any = true;
    const m = /^(?:W\/)?"(\d{1,15})"$/i.exec(tag);
    if (m) versions.push(Number(m[1]));
  }
  return { any, versions };
}

/**
 * The version an If-Match header requires, for a conditional write; `undefined` when the
 * header is absent or `*`. A tag that can never match (unknown format) fails with 412 at once.
 */
export function expectedVersion(ifMatch: string | undefined, currentVersion?: number): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '') return undefined;
  const { any, versions } = parseTags(ifMatch);
  if (any) return undefined;
  if (versions.length === 0) throw ScimError.preconditionFailed(`If-Match ${ifMatch.slice(0, 60)} does not match the resource's version`);
  if (currentVersion !== undefined && versions.includes(currentVersion)) return currentVersion;
  // Several tags: the store checks the first; a mismatch is a 412 either way.
  return versions[0];
}

/**
 * True when an If-Match header lists several version tags (and no `*`): which one the write must
 * expect depends on the current version, so the caller reads it and passes it to {@link expectedVersion}.
 */
export function listsSeveralTags(ifMatch: string | undefined): boolean {
  if (ifMatch === undefined) return false;
  const { any, versions } = parseTags(ifMatch);
  return !any && versions.length > 1;
}

/** True when an If-None-Match header matches the current version (answer 304). */
export function notModified(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const { any, versions } = parseTags(ifNoneMatch);
  return any || versions.includes(version);
}
