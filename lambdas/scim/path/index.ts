/** `parsePath(text): PatchPath` — RFC 7644 §3.5.2 PATCH path parser, 400 invalidPath on error. */
export { parsePath, type PatchPath } from './parsePath';
/** `resolveAttribute`, `resolveExtension`, `findKey`, `getIgnoringCase`, `isObject` — schema-aware attribute lookup. */
export * from './resolveAttribute';
