import { NotFoundError, PreconditionFailedError } from '../errors';
import type { ResourceType } from '../keys';
import { RETRY, type OnConditionFailed } from '../transactWrite';
import type { ExpectedVersion } from '../types';

/** Whether the stored version satisfies an If-Match (any of its versions, RFC 7232 §3.1). */
export function versionSatisfies(expected: ExpectedVersion, actual: number): boolean {
  return typeof expected === 'number' ? expected === actual : expected.includes(actual);
}

/** Throws PreconditionFailedError when an If-Match is given and the version read does not satisfy it. */
export function checkVersion(expected: ExpectedVersion | undefined, actual: number): void {
  if (expected !== undefined && !versionSatisfies(expected, actual)) throw new PreconditionFailedError(expected, actual);
}

/**
 * Meaning of a failed `versionMatches` condition, from the item as it was (ALL_OLD): gone or being
 * deleted is NotFoundError, a version the If-Match does not allow is PreconditionFailedError (412),
 * anything else a concurrent write to re-read.
 */
export function onVersionFailed(type: ResourceType, id: string, expectedVersion: ExpectedVersion | undefined): OnConditionFailed {
  return (old) => {
    if (!old || old.deleting !== undefined) return new NotFoundError(type, id);
    if (expectedVersion !== undefined && !versionSatisfies(expectedVersion, Number(old.version))) return new PreconditionFailedError(expectedVersion, Number(old.version));
    return RETRY;
  };
}
