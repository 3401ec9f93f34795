import type { Json, MemberRef, StoredResource } from './items';
import type { ResourceType } from './keys';
import { TableContext } from './tableContext';
import { createResource, getResource, requireString, updateResource } from './resources';
import { createGroup, updateGroup } from './groups';
import { groupMembership, groupsOfUser, listMembers } from './memberships';
import { continueCleanup, deleteResource } from './deletion';
import { queryResources } from './queries';
import { countResources } from './listing';
import { auditRecords } from './audit';
import type { AuditRecord, DeleteResult, GroupChange, MemberInput, QueryResult, ResourceQuery, ScimStoreOptions, UserGroup, WriteOptions } from './types';

export type { AuditRecord, DeleteResult, ExpectedVersion, GroupChange, GroupDelta, MemberInput, QueryResult, ResourceQuery, ScimStoreOptions, UserGroup, WriteOptions } from './types';

/**
 * The SCIM store on one DynamoDB table: the only code that speaks DynamoDB (docs/design.md layers).
 * A façade of one-line delegations to the aggregate modules (resources, groups, memberships,
 * deletion, queries, listing, audit), which share one TableContext. Keys are documented in
 * keys.ts; errors in errors.ts; costs per method in index.ts.
 */
export class ScimStore {
  private readonly ctx: TableContext;

  constructor(opts: ScimStoreOptions) {
    this.ctx = new TableContext(opts);
  }

  /** Creates a user: one TransactWriteItems (item, userName marker, lookups, counter). ConflictError when userName is taken. */
  async createUser(data: Json): Promise<StoredResource> {
    requireString(data, 'userName');
    return createResource(this.ctx, 'User', data);
  }

  /** Reads a user: one strongly consistent GetItem. */
  getUser(id: string): Promise<StoredResource | undefined> {
    return getResource(this.ctx, 'User', id);
  }

  /** Replaces a user's data (PUT); see updateUser. */
  replaceUser(id: string, data: Json, opts: WriteOptions = {}): Promise<StoredResource> {
    return this.updateUser(id, () => data, opts);
  }

  /**
   * Updates a user from its current state (PATCH, PUT): read (consistent) + one conditional write on
   * the version. A concurrent write makes it re-read and call `update` again, so no update is lost;
   * with `expectedVersion` (If-Match) a mismatch is PreconditionFailedError instead. Swaps the
   * userName marker and lookups in the same transaction; records an audit entry when `active` flips.
   */
  updateUser(id: string, update: (current: StoredResource) => Json, opts: WriteOptions = {}): Promise<StoredResource> {
    return updateResource(this.ctx, 'User', id, (current) => {
      const data = update(current);
      requireString(data, 'userName');
      return data;
    }, opts);
  }

  /**
   * Deletes a user: hides it and drops its markers, lookups and counter in one transaction with an
   * audit record, then removes every membership (reverse index) and finally the item.
   */
  async deleteUser(id: string, opts: WriteOptions = {}): Promise<void> {
    await deleteResource(this.ctx, 'User', id, opts);
  }

  /** Queries users by plan, predicate and paging (see ResourceQuery). */
  queryUsers(q: ResourceQuery): Promise<QueryResult> {
    return queryResources(this.ctx, 'User', q);
  }

  /** The groups of a user (User `groups`, read-only), direct and (unless `indirect: false`) nested. */
  groupsOfUser(userId: string, opts: { indirect?: boolean } = {}): Promise<UserGroup[]> {
    return groupsOfUser(this.ctx, userId, opts);
  }

  /** Creates a group with its members (which must exist: InvalidMemberError, nothing written). */
  createGroup(data: Json, members: readonly MemberInput[] = []): Promise<StoredResource> {
    return createGroup(this.ctx, data, members ?? []);
  }

  /** Reads a group without its members: one consistent GetItem whatever the group's size. */
  getGroup(id: string): Promise<StoredResource | undefined> {
    return getResource(this.ctx, 'Group', id);
  }

  /** Lists a group's members a page at a time (default 1000, at most 5000). NotFoundError if absent. */
  listMembers(groupId: string, opts: { limit?: number; cursor?: string } = {}): Promise<{ members: MemberRef[]; cursor?: string }> {
    return listMembers(this.ctx, groupId, opts);
  }

  /** Whether `memberId` is a direct member of a live group: one BatchGet of two keys (consistent). */
  groupMembership(groupId: string, memberId: string): Promise<boolean> {
    return groupMembership(this.ctx, groupId, memberId);
  }

  /** Changes a group's attributes and members as a delta, O(k) in the members changed (groups.ts). */
  updateGroup(id: string, change: GroupChange, opts: WriteOptions = {}): Promise<StoredResource> {
    return updateGroup(this.ctx, id, change, opts);
  }

  /** Replaces a group's data (PUT) and, when given, its whole member list. */
  replaceGroup(id: string, data: Json, members: GroupChange['replaceAll'] | undefined, opts: WriteOptions = {}): Promise<StoredResource> {
    return updateGroup(this.ctx, id, { data: () => data, replaceAll: members }, opts);
  }

  /**
   * Deletes a group: hidden at once, its memberships removed in batches; past `cleanupBudget`
   * items the rest is left to `continueCleanup`.
   */
  deleteGroup(id: string, opts: WriteOptions & { cleanupBudget?: number } = {}): Promise<DeleteResult> {
    return deleteResource(this.ctx, 'Group', id, opts);
  }

  /** Queries groups by plan, predicate and paging (see ResourceQuery). */
  queryGroups(q: ResourceQuery): Promise<QueryResult> {
    return queryResources(this.ctx, 'Group', q);
  }

  /** Finishes deferred deletions and due rechecks; returns how many deletions are still incomplete. */
  continueCleanup(opts: { budget?: number } = {}): Promise<number> {
    return continueCleanup(this.ctx, opts);
  }

  /** The audit records of one UTC day (`yyyy-mm-dd`), oldest first. */
  auditRecords(day: string): Promise<AuditRecord[]> {
    return auditRecords(this.ctx, day);
  }

  /** totalResults of an unfiltered listing: the sum of the counter shards (one Query). */
  countResources(type: ResourceType): Promise<number> {
    return countResources(this.ctx, type);
  }
}
