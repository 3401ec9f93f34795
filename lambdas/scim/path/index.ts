/** `resolveAttribute`, `resolveExtension`, `findKey`, `getIgnoringCase`, `isObject` — schema-aware attribute lookup. */
export * from './resolveAttribute';
