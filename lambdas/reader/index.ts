/**
 * The vendor app's typed read model (package export `serverless-scim/reader`): import
 * createScimReader, give it a document client and the stack's TableName output. The table's layout
 * is docs/table-layout.md; change events are lambdas/events (types and JSON Schemas).
 */
export { createScimReader, type ScimReader, type ScimReaderOptions, type ReadResource, type ReadPage } from './ScimReader';
export type { MemberRef, UserGroup } from '../store';
export type { ChangeEvent, ChangeEventOf, EventType } from '../events';
