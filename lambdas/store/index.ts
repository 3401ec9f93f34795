/**
 * The store: the only code that speaks DynamoDB (docs/design.md layers). Handlers construct one
 * `ScimStore` per container and call it; errors are the named classes of errors.ts, which
 * lambdas/http/toScimError.ts maps to SCIM statuses by `name`.
 *
 * Public API (DynamoDB calls per operation, measured by test/store/costs.test.ts with attachRequestCounter):
 *
 * ```ts
 * new ScimStore({ doc, tableName, keyPrefix? = '', now?, newId?, maxScanItems? = 2000, maxReplaceRead?, maxNestedGroups?, auditRetentionDays?, pageCursorTtlSeconds? })
 * // Users
 * createUser(data): Promise<StoredResource>                        // 1 (TransactWriteItems); ConflictError('userName')
 * getUser(id): Promise<StoredResource | undefined>                  // 1 (GetItem, consistent)
 * readForWrite(type, id, expectedVersion?): Promise<StoredResource>  // 1 GetItem; NotFoundError, PreconditionFailedError (If-Match)
 * writeUser(current, data, { expectedVersion?, actor?, audit? })     // 1 UpdateItem, or a transaction when userName/externalId/
 *                                                                    //   emails change or an audit record is asked for; one attempt:
 *                                                                    //   ConcurrentModificationError on a concurrent write
 * updateUser(id, (current) => data, { expectedVersion?, actor? })    // 2: GetItem + UpdateItem, or + a transaction when userName/
 *                                                                    //   externalId/emails/active change; on a concurrent write it
 *                                                                    //   re-reads and calls the callback again (no lost update)
 * replaceUser(id, data, { expectedVersion?, actor? })               // = updateUser(id, () => data)
 * deleteUser(id, { expectedVersion?, actor? }): Promise<void>       // 5 for a user in a few groups: GetItem, transaction (hide,
 *                                                                    //   markers, lookups, counter, audit), GSI1 Query, transaction
 *                                                                    //   per 50 memberships, BatchWrite of item + cleanup marker
 * queryUsers(ResourceQuery): Promise<QueryResult>                   // id 1; userName 2; externalId 2; email 2; sequential list page 4
 *                                                                    //   (3 for the first), cursor page 2, count=0 1
 * groupsOfUser(userId, { indirect? = true }): Promise<UserGroup[]>  // 2: GSI1 Query + BatchGet of the groups (+ a walk only from
 *                                                                    //   groups that are themselves nested: parentCount > 0)
 * // Groups
 * createGroup(data, members?): Promise<StoredResource>              // 2: BatchGet (members exist) + 1 transaction (<= ~95 members)
 * getGroup(id)                                                       // 1 GetItem whatever the size (memberCount included)
 * listMembers(groupId, { limit?, cursor? })                          // 1 Query a page (later pages + 1 GetItem of the group)
 * groupMembership(groupId, memberId): Promise<boolean>               // 1 BatchGet
 * insertGroup(data, members?): Promise<GroupWrite>                   // = createGroup, reporting the members added
 * writeGroup(current, { data, add?, remove?, replaceAll? }, opts): Promise<GroupWrite>  // one attempt; reports members really
 *                                                                    //   added and removed (a re-add is not one)
 * updateGroup(id, { data?, add?, remove?, replaceAll? }, { expectedVersion?, actor? })
 *                                                                    // add/remove k: 3 for k <= 99 (GetItem, BatchGet, transaction),
 *                                                                    //   k+1 item writes, independent of the group's size; replaceAll
 *                                                                    //   adds a paged Query of member ids
 * replaceGroup(id, data, members | undefined, opts)                  // = updateGroup with data and replaceAll
 * deleteGroup(id, { expectedVersion?, actor?, cleanupBudget? }): Promise<DeleteResult>   // 6 for a small group
 * queryGroups(ResourceQuery)                                         // id+memberValue 1 (BatchGet); displayName 2; externalId 2;
 *                                                                    //   member 2 (GSI1 Query + BatchGet); union; list
 * countResources(type)                                               // 1 Query of the sharded counter
 * // ScimStore only (ScimRequestStore, what the request functions construct, has everything above)
 * continueCleanup({ budget? })                                       // finishes deferred deletions of huge groups
 * auditRecords('yyyy-mm-dd'): Promise<AuditRecord[]>
 * // Functions
 * attachRequestCounter(docOrClient): { counts: { requests, byCommand, readUnits, writeUnits, scans, itemWrites }, reset(), detach() }
 * retryOnConcurrentWrite(step)                                       // the optimistic loop the provisioning use cases run
 * ```
 *
 * Atomicity: a group change is one transaction up to 99 member changes (nested-group members count
 * twice: they also bump the child's parentCount; marker/lookup swaps take slots too); beyond that it
 * continues in chunks of 99, each idempotent (a retry of the same request converges). Unknown
 * members (InvalidMemberError) and cycles (CycleError) are detected before anything is written.
 *
 * Listing (`plan.kind === 'list'`): without predicate and sortBy it streams GSI2 in creation order,
 * totalResults from the counter; sequential `startIndex` pages cost O(count) (page-cursor items),
 * `cursor: ''` starts RFC 9865 cursor paging. With a predicate or sortBy it examines at most
 * `maxScanItems` resources, else TooManyResultsError (400 tooMany).
 */
export { ScimRequestStore, ScimStore } from './ScimStore';
export type { ExpectedVersion, ScimStoreOptions, ResourceQuery, QueryResult, UserGroup, GroupChange, GroupWrite, GroupWriteChange, DeleteResult, AuditRecord, MemberInput, WriteOptions } from './types';
export { retryOnConcurrentWrite } from './tableContext';
export { ConcurrentModificationError } from './transactWrite';
export { KeySpace } from './keys';
export type { CreateOptions } from './types';
export type { RollbackEntry, RollbackJournalRef } from './rollbackJournal';
export type { Json, StoredResource, MemberRef } from './items';
export type { ResourceType } from './keys';
export * from './errors';
export { attachRequestCounter } from './requestCounter';
export type { RequestCounter, RequestCounts } from './requestCounter';
export { createDynamoClients } from './clients';
export type { DynamoClients } from './clients';
export { createTable } from './createTable';
export { TABLE_DEFINITION } from '../contracts/tableDefinition';
export type { BackfillStep } from './indexBackfill';
