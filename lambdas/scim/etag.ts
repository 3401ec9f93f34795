import { ScimError } from './errors';

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
 * The versions an If-Match header allows for a conditional write (RFC 7232 §3.1: any listed tag
 * may match; the store checks them against the version it reads); `undefined` when the header is
 * absent or `*`. A header with no tag we could ever have issued fails with 412 at once.
 */
export function expectedVersions(ifMatch: string | undefined): number[] | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '') return undefined;
  const { any, versions } = parseTags(ifMatch);
  if (any) return undefined;
  if (versions.length === 0) throw ScimError.preconditionFailed(`If-Match ${ifMatch.slice(0, 60)} does not match the resource's version`);
  return versions;
}

/** True when an If-None-Match header matches the current version (answer 304). */
export function notModified(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const { any, versions } = parseTags(ifNoneMatch);
  return any || versions.includes(version);
}
