import type { Json, MemberRef, StoredResource } from './items';
import type { ResourceType } from './keys';
import { TableContext } from './tableContext';
import { createResource, getResource, readForWrite, requireString, updateUser, writeUser } from './resources';
import { insertGroup, updateGroup, writeGroup } from './groups';
import { groupMembership, groupsOfUser, listMembers } from './memberships';
import { continueCleanup, deleteResource } from './deletion';
import { closeRollbackJournal, openRollbackJournal, openRollbackJournals, recordRollbackEntry, rollbackEntries, type RollbackEntry, type RollbackJournalRef } from './rollbackJournal';
import { queryResources } from './queries';
import { countResources } from './listing';
import { auditRecords } from './audit';
import { backfillSortedIndexes, type BackfillStep } from './indexBackfill';
import { exportPage, purgeStep, type ExportPage, type PurgeProgress } from './tenantData';
import type { AuditRecord, CreateOptions, DeleteResult, ExpectedVersion, GroupChange, GroupWrite, GroupWriteChange, MemberInput, QueryResult, ResourceQuery, ScimStoreOptions, UserGroup, WriteOptions } from './types';

export type { RollbackEntry, RollbackJournalRef } from './rollbackJournal';
export type { AuditRecord, CreateOptions, DeleteResult, ExpectedVersion, GroupChange, GroupWrite, GroupWriteChange, MemberInput, QueryResult, ResourceQuery, ScimStoreOptions, UserGroup, WriteOptions } from './types';

/**
 * What a SCIM request needs of the store on one DynamoDB table (users, groups, memberships,
 * queries): a façade of one-line delegations to the aggregate modules, which share one
 * TableContext. The users and groups functions construct this one, not {@link ScimStore}: the
 * rollback-journal, maintenance, audit, backfill, export and purge code stays out of their bundles
 * (issue 17's 150 KB budget). Keys are documented in keys.ts; errors in errors.ts; costs per method in index.ts.
 */
export class ScimRequestStore {
  protected readonly ctx: TableContext;

  constructor(opts: ScimStoreOptions) {
    this.ctx = new TableContext(opts);
  }

  /** Creates a user: one TransactWriteItems (item, userName marker, lookups, counter). ConflictError when userName is taken. */
  async createUser(data: Json, opts: CreateOptions = {}): Promise<StoredResource> {
    requireString(data, 'userName');
    return createResource(this.ctx, 'User', data, [], opts.id);
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
   * Updates a user from its current state: read (consistent) + one conditional write on the
   * version, re-read after a concurrent write, so no update is lost; with `expectedVersion`
   * (If-Match) a mismatch is PreconditionFailedError. A convenience for scripts and tests: the
   * provisioning layer runs its own loop over readForWrite and writeUser.
   */
  updateUser(id: string, update: (current: StoredResource) => Json, opts: WriteOptions = {}): Promise<StoredResource> {
    return updateUser(this.ctx, id, update, opts);
  }

  /**
   * Reads a resource a write starts from: NotFoundError when absent, PreconditionFailedError when
   * `expectedVersion` (If-Match) does not allow its version. One consistent GetItem.
   */
  readForWrite(type: ResourceType, id: string, expectedVersion?: ExpectedVersion): Promise<StoredResource> {
    return readForWrite(this.ctx, type, id, expectedVersion);
  }

  /**
   * Writes a user's new data on the version `current` was read at, in one attempt: markers and
   * lookups swapped and the `audit` record written in the same transaction (alone, right after the
   * Update: no transaction for a deactivation); a concurrent write is
   * ConcurrentModificationError (run it inside retryOnConcurrentWrite).
   */
  writeUser(current: StoredResource, data: Json, opts: WriteOptions & { audit?: AuditRecord['action'] } = {}): Promise<StoredResource> {
    return writeUser(this.ctx, current, data, opts);
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
  async createGroup(data: Json, members: readonly MemberInput[] = []): Promise<StoredResource> {
    return (await insertGroup(this.ctx, data, members ?? [])).resource;
  }

  /** Creates a group with its members and reports the members added (deduplicated). */
  insertGroup(data: Json, members: readonly MemberInput[] = [], opts: CreateOptions = {}): Promise<GroupWrite> {
    return insertGroup(this.ctx, data, members, opts.id);
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

  /** Changes a group's attributes and members as a delta, re-reading after a concurrent write (a convenience; see writeGroup). */
  updateGroup(id: string, change: GroupChange, opts: WriteOptions = {}): Promise<StoredResource> {
    return updateGroup(this.ctx, id, change, opts);
  }

  /**
   * Writes a group's new attributes and member delta on the version `current` was read at, in one
   * attempt (ConcurrentModificationError on a concurrent write), O(k) in the members changed;
   * reports the members really added and removed.
   */
  writeGroup(current: StoredResource, change: GroupWriteChange, opts: WriteOptions = {}): Promise<GroupWrite> {
    return writeGroup(this.ctx, current, change, opts);
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

  /** A new resource id (what a create would pick), for a caller that must record it before the create. */
  newId(): string {
    return this.ctx.newId();
  }

  /** totalResults of an unfiltered listing: the sum of the counter shards (one Query). */
  countResources(type: ResourceType): Promise<number> {
    return countResources(this.ctx, type);
  }

}

/**
 * The SCIM store on one DynamoDB table: the only code that speaks DynamoDB (docs/design.md layers).
 * {@link ScimRequestStore} plus all-or-nothing bulk's rollback journals and what the maintenance
 * job, the audit CLI, the index backfill and a pooled tenant's export and deletion call.
 */
export class ScimStore extends ScimRequestStore {
  /** Opens an all-or-nothing bulk's rollback journal: one PutItem (rollbackJournal.ts). */
  openRollbackJournal(id: string): Promise<RollbackJournalRef> {
    return openRollbackJournal(this.ctx, id);
  }

  /** Records what compensates one operation, before it runs: one PutItem (plus a BatchWrite for a group's prior members). */
  recordRollbackEntry(journal: RollbackJournalRef, entry: RollbackEntry): Promise<void> {
    return recordRollbackEntry(this.ctx, journal, entry);
  }

  /** A journal's entries in run order (strongly consistent). */
  rollbackEntries(journal: RollbackJournalRef): Promise<RollbackEntry[]> {
    return rollbackEntries(this.ctx, journal);
  }

  /** Deletes a journal (entries, then head): the bulk succeeded, or its compensation finished. */
  closeRollbackJournal(journal: RollbackJournalRef): Promise<void> {
    return closeRollbackJournal(this.ctx, journal);
  }
  /** Journals opened before `openedBefore` and still open (their invocation died), oldest first. */
  openRollbackJournals(openedBefore: Date): Promise<RollbackJournalRef[]> {
    return openRollbackJournals(this.ctx, openedBefore);
  }

  /** Finishes deferred deletions and due rechecks; returns how many deletions are still incomplete. */
  continueCleanup(opts: { budget?: number } = {}): Promise<number> {
    return continueCleanup(this.ctx, opts);
  }

  /** The audit records of one UTC day (`yyyy-mm-dd`), oldest first. */
  auditRecords(day: string): Promise<AuditRecord[]> {
    return auditRecords(this.ctx, day);
  }

  /** One step of giving pre-upgrade items their sorted-index attributes (indexBackfill.ts): at most `pageSize` items of `type`. */
  backfillSortedIndexes(type: ResourceType, opts: { startKey?: Record<string, unknown>; pageSize?: number } = {}): Promise<BackfillStep> {
    return backfillSortedIndexes(this.ctx, type, opts);
  }

  /** One page of the tenant's resources of a type for an export (tenantData.ts; 1 Query on the listing index). */
  exportPage(type: ResourceType, opts: { cursor?: string; limit: number }): Promise<ExportPage> {
    return exportPage(this.ctx, type, opts);
  }

  /** One bounded step of deleting everything of this key space (tenantData.ts); callers stop writers first. */
  purgeStep(opts: { deadline: number; auditSince: Date }): Promise<PurgeProgress> {
    return purgeStep(this.ctx, opts);
  }
}
