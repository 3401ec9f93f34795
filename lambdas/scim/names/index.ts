/** Unique names (userName, Group displayName, custom server-unique attributes): comparison form and checks. */
/** nameKey: the PRECIS-style form two names are compared in. */
export { nameKey } from './nameKey';
/** checkUniqueName: trims, refuses control and format characters with 400 invalidValue. */
export { checkUniqueName } from './checkUniqueName';
