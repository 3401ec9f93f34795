/**
 * The store: the only code that speaks DynamoDB (DESIGN.md layers). Handlers construct one
 * `ScimStore` per container and call it; errors are the named classes of errors.ts, which
 * lambdas/http/toScimError.ts maps to SCIM statuses by `name`.
 *
 * Public API (costs in DynamoDB calls, measured by test/store with attachRequestCounter):
 *
 * ```ts
 * new ScimStore({ doc, tableName, now?, newId?, maxScanItems? = 2000, maxReplaceRead?, maxNestedGroups?, auditRetentionDays?, pageCursorTtlSeconds? })
 * // Users
 * createUser(data): Promise<StoredResource>                       // 1 TransactWriteItems; ConflictError('userName')
 * getUser(id): Promise<StoredResource | undefined>                 // 1 GetItem (consistent)
 * updateUser(id, (current) => data, { expectedVersion?, actor? })   // 1 GetItem + 1 write (UpdateItem, or a transaction when
 *                                                                   //   userName/externalId/emails/active change); re-reads and
 *                                                                   //   re-applies the callback on concurrent writes (no lost update)
 * replaceUser(id, data, { expectedVersion?, actor? })              // updateUser(id, () => data)
 * deleteUser(id, { expectedVersion?, actor? }): Promise<void>      // GetItem + 1 transaction (hide, markers, lookups, counter,
 *                                                                   //   audit) + reverse-index Query + 1 transaction per 50 groups + DeleteItem
 * queryUsers(ResourceQuery): Promise<QueryResult>                  // plan id: 1; userName: 2; externalId/email: 2; list: see below
 * groupsOfUser(userId, { indirect? = true }): Promise<UserGroup[]> // 1 GSI1 Query + 1 BatchGet (+ walk only for nested groups)
 * // Groups
 * createGroup(data, members?): Promise<StoredResource>             // (BatchGet of members) + 1 transaction for <= ~95 members
 * getGroup(id)                                                      // 1 GetItem whatever the size (memberCount included)
 * listMembers(groupId, { limit?, cursor? })                         // 1 Query per page (later pages + 1 GetItem)
 * groupMembership(groupId, memberId): Promise<boolean>              // 1 BatchGet
 * updateGroup(id, { data?, add?, remove?, replaceAll? }, { expectedVersion?, actor? })
 *                                                                   // GetItem + BatchGet(s) of the k touched keys + 1 transaction per
 *                                                                   //   ~98 changes: O(k), independent of group size
 * replaceGroup(id, data, members | undefined, opts)                 // updateGroup with replaceAll (bounded paged read of ids)
 * deleteGroup(id, { expectedVersion?, actor?, cleanupBudget? }): Promise<DeleteResult>
 * queryGroups(ResourceQuery)                                        // id (+memberValue: 1 BatchGet), displayName: 2, externalId: 2,
 *                                                                   //   member: 1 GSI1 Query + 1 BatchGet, union, list
 * continueCleanup({ budget? })                                      // finishes deferred deletions of huge groups
 * auditRecords('yyyy-mm-dd'): Promise<AuditRecord[]>
 * countResources(type)                                              // 1 Query of the sharded counter
 * ```
 *
 * Listing (`plan.kind === 'list'`): without predicate and sortBy it streams GSI2 in creation order,
 * totalResults from the counter; sequential `startIndex` pages cost O(count) (page-cursor items),
 * `cursor: ''` starts RFC 9865 cursor paging. With a predicate or sortBy it examines at most
 * `maxScanItems` resources, else TooManyResultsError (400 tooMany).
 */
export { ScimStore } from './ScimStore';
export type { ScimStoreOptions, ResourceQuery, QueryResult, UserGroup, GroupChange, DeleteResult, AuditRecord } from './ScimStore';
export type { Json, StoredResource, MemberRef } from './items';
export type { ResourceType } from './keys';
export * from './errors';
export { attachRequestCounter } from './requestCounter';
export type { RequestCounter, RequestCounts } from './requestCounter';
export { createDynamoClients } from './clients';
export type { DynamoClients } from './clients';
export { createTable } from './createTable';
export { TABLE_DEFINITION } from './tableDefinition';
