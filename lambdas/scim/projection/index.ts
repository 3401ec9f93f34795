/** attributes / excludedAttributes projection with RFC 7643 `returned` rules. */
/** Applies attributes/excludedAttributes to a resource; tells whether a projection carries an attribute. */
export { projectResource, requestsAttribute, type ProjectionOptions } from './projectResource';
/** Splits a comma-separated attributes/excludedAttributes value, bounded in size. */
export { parseAttributeList, MAX_ATTRIBUTE_LIST_LENGTH, MAX_ATTRIBUTE_NAMES } from './parseAttributeList';
/** A stored resource without its `returned: never` attributes, failing closed on undeclared schemas (the typed reader). */
export { withoutNeverReturned } from './withoutNeverReturned';
