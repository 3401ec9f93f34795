import { randomInt, randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StorePlan } from '../scim/filter/plan';
import { compareSortValues } from '../scim/compareSortValues';
import {
  ConflictError,
  CycleError,
  InvalidMemberError,
  NotFoundError,
  PreconditionFailedError,
  StoreThrottledError,
  TooManyResultsError,
  InvalidCursorError,
} from './errors';
import {
  COUNTER_SHARDS,
  MEMBER_PREFIX,
  META,
  auditKey,
  auditPartition,
  counterKey,
  counterPartition,
  listingPartition,
  lookupPartition,
  membershipKey,
  pageCursorKey,
  resourceKey,
  keyFits,
  reverseMembershipPartition,
  uniqueKey,
  type Key,
  type ResourceType,
} from './keys';
import {
  fromResourceItem,
  resourceIndexes,
  toResourceItem,
  checkDataSize,
  type Json,
  type MemberRef,
  type StoredResource,
} from './items';
import { batchGet, batchWrite, keyString, queryBounded, queryPage } from './batch';
import {
  ConcurrentModificationError,
  MAX_TRANSACT_ITEMS,
  RETRY,
  backoff,
  fromAttributeMap,
  itemDoesNotExist,
  itemExists,
  mapSdkError,
  markerOwnedBy,
  resourceIsLive,
  transactWrite,
  versionMatches,
  type OnConditionFailed,
  type TransactItem,
  type TxAction,
} from './transactWrite';
import { decodeCursor, encodeCursor, queryHash } from './paging';
import { TABLE_DEFINITION } from './tableDefinition';

/** The TTL attribute (epoch seconds): page cursors and audit records expire. */
const TTL = TABLE_DEFINITION.ttlAttribute;

/** Options of the store. */
export interface ScimStoreOptions {
  /** The document client (created once per container, injectable for tests). */
  doc: DynamoDBDocumentClient;
  /** The tenant's table. */
  tableName: string;
  /** Clock. @default () => new Date() */
  now?: () => Date;
  /** Id generator. @default crypto.randomUUID */
  newId?: () => string;
  /** How many resources a filter without a key lookup may examine before TooManyResultsError. @default 2000 */
  maxScanItems?: number;
  /** How many membership items a `replaceAll` may read to compute its difference. @default 200000 */
  maxReplaceRead?: number;
  /** How many groups a nested-group walk (cycle check, indirect groups) may visit. @default 1000 */
  maxNestedGroups?: number;
  /** Days an audit record is kept (TTL). @default 400 */
  auditRetentionDays?: number;
  /** Seconds a startIndex page-cursor item lives (TTL). @default 900 */
  pageCursorTtlSeconds?: number;
}

/** A query over one resource type: a key plan from the filter planner plus the full filter as a predicate. */
export interface ResourceQuery {
  /** The key lookup that yields a superset of the matches (lambdas/scim/filter/plan.ts). */
  plan: StorePlan;
  /** The full filter; omitted when there is no filter (then listing pages stream and totalResults comes from the counter). */
  predicate?: (r: StoredResource) => boolean;
  /** Identity of filter + sort (e.g. the normalized filter string and sortBy/sortOrder); binds cursors to their query. @default '' */
  fingerprint?: string;
  /** 1-based index (RFC 7644 §3.4.2.4). @default 1 */
  startIndex?: number;
  /** Page size; 0 answers totalResults only. */
  count: number;
  /** RFC 9865 cursor paging: `''` asks for the first page, a previous `nextCursor` for the next. */
  cursor?: string;
  /** Sort key extractor (sortBy); sorting needs the whole result, so it is bounded like a filter. */
  sortBy?: (r: StoredResource) => unknown;
  /** @default 'ascending' */
  sortOrder?: 'ascending' | 'descending';
}

/** A page of resources. */
export interface QueryResult {
  resources: StoredResource[];
  totalResults: number;
  /** RFC 9865: present when cursor paging was asked for and more results remain. */
  nextCursor?: string;
}

/** A group a user belongs to (User `groups`, RFC 7643 §4.1.2). */
export interface UserGroup {
  value: string;
  display?: string;
  type: 'direct' | 'indirect';
}

/** A member change of a group (PATCH deltas, PUT/replace). */
export interface GroupChange {
  /** New attributes (without members) from the current resource. */
  data?: (current: StoredResource) => Json;
  /** Members to add; existing ones are left as they are. */
  add?: readonly (Omit<MemberRef, 'type'> & { type?: ResourceType })[];
  /** Member ids to remove; absent ones are ignored. */
  remove?: readonly string[];
  /** The whole new member list (PUT, `replace members`): only the difference is written. */
  replaceAll?: readonly (Omit<MemberRef, 'type'> & { type?: ResourceType })[];
  /**
   * Derives the whole change (attributes and member delta) from the current resource inside the
   * optimistic loop, so a PATCH reads the group once (and again only after a concurrent write).
   * When given, the other fields are ignored.
   */
  derive?: (current: StoredResource) => GroupDelta;
}

/** A change derived from the current group (see GroupChange.derive). */
export interface GroupDelta {
  /** New attributes (without members). */
  data: Json;
  add?: GroupChange['add'];
  remove?: GroupChange['remove'];
  replaceAll?: GroupChange['replaceAll'];
}

/** What a delete left to do: large groups finish their membership cleanup with `continueCleanup`. */
export interface DeleteResult {
  /** False when membership items remain to be deleted (invisible through the API meanwhile). */
  complete: boolean;
}

/** An audit record (DELETE, deactivation). */
export interface AuditRecord {
  at: string;
  action: 'delete' | 'deactivate' | 'reactivate';
  resourceType: ResourceType;
  resourceId: string;
  externalId?: string;
  actor?: string;
}

const UPDATE_ATTEMPTS = 12;

/** The version(s) an If-Match allows: a write proceeds when the stored version is one of them. */
export type ExpectedVersion = number | readonly number[];

/**
 * Runs one optimistic read-decide-write step, again from a fresh read when a concurrent writer won
 * (ConcurrentModificationError), with jittered backoff; after UPDATE_ATTEMPTS the caller is told
 * to slow down. Every other error passes through.
 */
async function retryOnConcurrentWrite<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof ConcurrentModificationError)) throw e;
      await backoff(attempt);
    }
  }
  throw new StoreThrottledError();
}
const PAGE_CURSOR_KIND = 'list';
/** Membership items of one group deleted inline by deleteGroup before deferring to continueCleanup. */
const DEFAULT_CLEANUP_BUDGET = 20_000;
const CLEANUP_PK = 'CLEANUP';
/**
 * How long after a delete its reverse-index cleanup runs once more. A PATCH that saw the member
 * alive just before the delete may write its membership after the first cleanup (its Lambda has up
 * to 20 s), and GSI1 is eventually consistent: the second pass removes such late memberships.
 */
const RECHECK_AFTER_MS = 60_000;

interface ResolvedMember extends MemberRef {
  /** Whether the membership item exists now. */
  exists: boolean;
}

/** One membership write and how many transaction actions it takes (a Group member also bumps its parentCount). */
interface MemberOp {
  kind: 'add' | 'remove';
  member: MemberRef;
}

/**
 * The SCIM store on one DynamoDB table: the only code that speaks DynamoDB (docs/design.md layers).
 * Keys are documented in keys.ts; errors in errors.ts; costs per method in index.ts.
 */
export class ScimStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly maxScanItems: number;
  private readonly maxReplaceRead: number;
  private readonly maxNestedGroups: number;
  private readonly auditRetentionDays: number;
  private readonly pageCursorTtl: number;

  constructor(opts: ScimStoreOptions) {
    this.doc = opts.doc;
    this.table = opts.tableName;
    this.now = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? randomUUID;
    this.maxScanItems = opts.maxScanItems ?? 2000;
    this.maxReplaceRead = opts.maxReplaceRead ?? 200_000;
    this.maxNestedGroups = opts.maxNestedGroups ?? 1000;
    this.auditRetentionDays = opts.auditRetentionDays ?? 400;
    this.pageCursorTtl = opts.pageCursorTtlSeconds ?? 900;
  }

  // ───────────────────────────── Users ─────────────────────────────

  /** Creates a user: one TransactWriteItems (item, userName marker, lookups, counter). ConflictError when userName is taken. */
  async createUser(data: Json): Promise<StoredResource> {
    requireString(data, 'userName');
    return this.createResource('User', data);
  }

  /** Reads a user: one strongly consistent GetItem. */
  async getUser(id: string): Promise<StoredResource | undefined> {
    return this.getResource('User', id);
  }

  /** Replaces a user's data (PUT); see updateUser. */
  async replaceUser(id: string, data: Json, opts: { expectedVersion?: ExpectedVersion; actor?: string } = {}): Promise<StoredResource> {
    return this.updateUser(id, () => data, opts);
  }

  /**
   * Updates a user from its current state (PATCH, PUT): read (consistent) + one conditional write on
   * the version. A concurrent write makes it re-read and call `update` again, so no update is lost;
   * with `expectedVersion` (If-Match) a mismatch is PreconditionFailedError instead. Swaps the
   * userName marker and lookups in the same transaction; records an audit entry when `active` flips.
   */
  async updateUser(
    id: string,
    update: (current: StoredResource) => Json,
    opts: { expectedVersion?: ExpectedVersion; actor?: string } = {},
  ): Promise<StoredResource> {
    return this.updateResource('User', id, (current) => {
      const data = update(current);
      requireString(data, 'userName');
      return data;
    }, opts);
  }

  /**
   * Deletes a user: hides it and drops its markers, lookups and counter in one transaction with an
   * audit record, then removes every membership (reverse index) and finally the item.
   */
  async deleteUser(id: string, opts: { expectedVersion?: ExpectedVersion; actor?: string } = {}): Promise<void> {
    await this.deleteResource('User', id, opts);
  }

  /** Queries users by plan, predicate and paging (see ResourceQuery). */
  async queryUsers(q: ResourceQuery): Promise<QueryResult> {
    return this.queryResources('User', q);
  }

  /**
   * The groups of a user (User `groups`, read-only): one reverse-index Query and one BatchGet of the
   * groups (names, and to hide groups being deleted); `indirect` ones by a bounded walk up the
   * reverse index, only from groups that are themselves members somewhere (`parentCount`).
   */
  async groupsOfUser(userId: string, opts: { indirect?: boolean } = {}): Promise<UserGroup[]> {
    const direct = await this.parentGroups([userId]);
    const out: UserGroup[] = [];
    const seen = new Set<string>([userId]);
    let frontier: string[] = [];
    const directItems = await batchGet(this.doc, this.table, direct.map((g) => resourceKey('Group', g)));
    for (const gid of direct) {
      const item = directItems.get(keyString(resourceKey('Group', gid)));
      const g = fromResourceItem(item);
      if (!g || seen.has(gid)) continue;
      seen.add(gid);
      out.push({ value: gid, display: displayOf(g), type: 'direct' });
      if (Number(item?.parentCount ?? 0) > 0) frontier.push(gid);
    }
    if (opts.indirect === false) return out;
    while (frontier.length > 0 && seen.size < this.maxNestedGroups) {
      const parents = (await this.parentGroups(frontier)).filter((g) => !seen.has(g));
      const items = await batchGet(this.doc, this.table, parents.map((g) => resourceKey('Group', g)));
      frontier = [];
      for (const gid of parents) {
        if (seen.has(gid)) continue;
        seen.add(gid);
        const item = items.get(keyString(resourceKey('Group', gid)));
        const g = fromResourceItem(item);
        if (!g) continue;
        out.push({ value: gid, display: displayOf(g), type: 'indirect' });
        if (Number(item?.parentCount ?? 0) > 0) frontier.push(gid);
      }
    }
    return out;
  }

  // ───────────────────────────── Groups ─────────────────────────────

  /**
   * Creates a group with its members. Members must exist (one BatchGet; InvalidMemberError naming
   * the missing ones, nothing written). One transaction holds the group, its displayName marker,
   * lookups, counter and the first ~95 memberships; more follow in idempotent chunks.
   */
  async createGroup(data: Json, members: GroupChange['add'] = []): Promise<StoredResource> {
    requireString(data, 'displayName');
    const resolved = await this.resolveMembers(undefined, dedupeMembers(members ?? []), []);
    const adds = resolved.adds;
    const fixedActions = 3 + resourceIndexes('Group', 'x', data).lookups.length;
    const { first, rest } = splitOps(adds.map((m) => ({ kind: 'add' as const, member: m })), MAX_TRANSACT_ITEMS - fixedActions);
    const created = await this.createResource('Group', data, first);
    if (rest.length === 0) return created;
    return this.applyMemberChunks(created, rest);
  }

  /** Reads a group without its members: one consistent GetItem whatever the group's size. */
  async getGroup(id: string): Promise<StoredResource | undefined> {
    return this.getResource('Group', id);
  }

  /**
   * Lists a group's members a page at a time (default 1000, at most 5000). The first page is one
   * Query that also returns the group item (sorted descending, `META` comes first), so a group being
   * deleted shows no members; later pages add a GetItem for the same check. NotFoundError if absent.
   */
  async listMembers(groupId: string, opts: { limit?: number; cursor?: string } = {}): Promise<{ members: MemberRef[]; cursor?: string }> {
    const limit = Math.min(Math.max(opts.limit ?? 1000, 1), 5000);
    const q = queryHash('members', groupId);
    const start = opts.cursor ? decodeCursor(q, opts.cursor).k : undefined;
    if (opts.cursor && !start) throw new InvalidCursorError();
    const input: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK <= :meta',
      ExpressionAttributeValues: { ':pk': resourceKey('Group', groupId).PK, ':meta': META },
      ScanIndexForward: false,
      Limit: start ? limit : limit + 1,
      ExclusiveStartKey: start,
    };
    const [page, groupItem] = await Promise.all([
      queryPage(this.doc, input),
      start ? this.getItem(resourceKey('Group', groupId), 'deleting, SK') : Promise.resolve(undefined),
    ]);
    const meta = start ? groupItem : page.items[0]?.SK === META ? page.items[0] : undefined;
    if (!meta || meta.deleting !== undefined) throw new NotFoundError('Group', groupId);
    const members = page.items.filter((i) => i.SK !== META).map(toMemberRef);
    return { members, cursor: page.lastKey ? encodeCursor(q, { k: page.lastKey as Record<string, string> }) : undefined };
  }

  /** Whether `memberId` is a direct member of a live group: one BatchGet of two keys (consistent). */
  async groupMembership(groupId: string, memberId: string): Promise<boolean> {
    const items = await batchGet(this.doc, this.table, [resourceKey('Group', groupId), membershipKey(groupId, memberId)], { consistent: true });
    return fromResourceItem(items.get(keyString(resourceKey('Group', groupId)))) !== undefined && items.has(keyString(membershipKey(groupId, memberId)));
  }

  /**
   * Changes a group: attributes (`data`) and members as a delta. Writes are O(k) in the members
   * changed: existence of the new members and of the affected memberships is read with BatchGet
   * (never the member list), unknown members are InvalidMemberError and nested-group cycles
   * CycleError before anything is written. Up to ~98 member changes are one transaction with the
   * group item (atomic); larger changes continue in chunks, each idempotent, so a retry converges.
   * `replaceAll` reads the current membership (bounded, paged) to write only the difference.
   */
  async updateGroup(id: string, change: GroupChange, opts: { expectedVersion?: ExpectedVersion; actor?: string } = {}): Promise<StoredResource> {
    return retryOnConcurrentWrite(async () => {
      const current = fromResourceItem(await this.getItem(resourceKey('Group', id)));
      if (!current) throw new NotFoundError('Group', id);
      checkVersion(opts.expectedVersion, current.version);
      const derived = change.derive?.(current);
      const delta: Omit<GroupDelta, 'data'> = derived ?? change;
      const data = derived ? derived.data : change.data ? change.data(current) : current.data;
      requireString(data, 'displayName');
      let add = dedupeMembers(delta.add ?? []);
      const addIds = new Set(add.map((a) => a.value));
      let remove = [...new Set(delta.remove ?? [])].filter((r) => !addIds.has(r));
      if (delta.replaceAll) {
        const target = dedupeMembers(delta.replaceAll);
        const existing = await this.readAllMemberIds(id);
        const targetIds = new Set(target.map((m) => m.value));
        add = target.filter((m) => !existing.has(m.value));
        remove = [...existing].filter((m) => !targetIds.has(m));
      }
      const resolved = await this.resolveMembers(id, add, remove);
      const ops: MemberOp[] = [
        ...resolved.removes.map((m) => ({ kind: 'remove' as const, member: m })),
        ...resolved.adds.map((m) => ({ kind: 'add' as const, member: m })),
      ];
      const { resource, rest } = await this.writeResourceChange('Group', current, data, opts, ops);
      return rest.length > 0 ? await this.applyMemberChunks(resource, rest) : resource;
    });
  }

  /** Replaces a group's data (PUT) and, when given, its whole member list. */
  async replaceGroup(id: string, data: Json, members: GroupChange['replaceAll'] | undefined, opts: { expectedVersion?: ExpectedVersion; actor?: string } = {}): Promise<StoredResource> {
    return this.updateGroup(id, { data: () => data, replaceAll: members }, opts);
  }

  /**
   * Deletes a group: one transaction hides it (no membership of it is visible from then on), drops
   * marker, lookups and counter and writes the audit record; then its membership items (and their
   * reverse-index entries) and its own memberships in other groups are deleted in batches. Past
   * `cleanupBudget` items the rest is left to `continueCleanup` (tracked by a CLEANUP item).
   */
  async deleteGroup(id: string, opts: { expectedVersion?: ExpectedVersion; actor?: string; cleanupBudget?: number } = {}): Promise<DeleteResult> {
    return this.deleteResource('Group', id, opts);
  }

  /** Queries groups by plan, predicate and paging (see ResourceQuery). */
  async queryGroups(q: ResourceQuery): Promise<QueryResult> {
    return this.queryResources('Group', q);
  }

  /**
   * Finishes deletions whose cleanup was deferred (large groups) and runs the second reverse-index
   * pass of recent deletes once due; returns how many deletions are still incomplete.
   */
  async continueCleanup(opts: { budget?: number } = {}): Promise<number> {
    const { items } = await queryBounded(this.doc, { TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': CLEANUP_PK } }, 100);
    let pending = 0;
    for (const item of items) {
      const [type, id] = String(item.SK).split('#') as [string, string];
      if (typeof item.recheckAfter === 'string') {
        // Cleaned up once: the second pass for late memberships, when due (RECHECK_AFTER_MS).
        if (Date.parse(item.recheckAfter) > this.now().getTime()) continue;
        await this.removeFromAllGroups(id);
        await this.send(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: { PK: CLEANUP_PK, SK: item.SK as string } })));
        continue;
      }
      const done = await this.cleanupDeleted(type === 'GROUP' ? 'Group' : 'User', id, opts.budget ?? DEFAULT_CLEANUP_BUDGET);
      if (!done) pending += 1;
    }
    return pending;
  }

  /** The audit records of one UTC day (`yyyy-mm-dd`), oldest first. */
  async auditRecords(day: string): Promise<AuditRecord[]> {
    const { items } = await queryBounded(
      this.doc,
      { TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': auditPartition(day) } },
      10_000,
    );
    return items.map((i) => ({
      at: i.at as string,
      action: i.action as AuditRecord['action'],
      resourceType: i.resourceType as ResourceType,
      resourceId: i.resourceId as string,
      externalId: i.externalId as string | undefined,
      actor: i.actor as string | undefined,
    }));
  }

  // ───────────────────────────── shared: writes ─────────────────────────────

  private async createResource(type: ResourceType, data: Json, firstOps: MemberOp[] = []): Promise<StoredResource> {
    const id = this.newId();
    const now = this.now().toISOString();
    const resource: StoredResource = { id, resourceType: type, version: 1, created: now, lastModified: now, data };
    if (type === 'Group') resource.memberCount = firstOps.length;
    const indexes = resourceIndexes(type, id, data);
    const actions: TxAction[] = [
      { item: { Put: { TableName: this.table, Item: toResourceItem(resource), ConditionExpression: itemDoesNotExist } } },
      ...indexes.unique.map((u) => this.putMarker(type, id, u.attribute, u.value)),
      ...indexes.lookups.map((l) => ({ item: { Put: { TableName: this.table, Item: { ...l.key, ...l.attributes } } } })),
      this.counterAction(type, 1),
      ...firstOps.flatMap((op) => this.memberActions(id, op)),
    ];
    await transactWrite(this.doc, actions);
    return resource;
  }

  private async updateResource(
    type: ResourceType,
    id: string,
    update: (current: StoredResource) => Json,
    opts: { expectedVersion?: ExpectedVersion; actor?: string },
  ): Promise<StoredResource> {
    return retryOnConcurrentWrite(async () => {
      const current = fromResourceItem(await this.getItem(resourceKey(type, id)));
      if (!current) throw new NotFoundError(type, id);
      checkVersion(opts.expectedVersion, current.version);
      return (await this.writeResourceChange(type, current, update(current), opts, [])).resource;
    });
  }

  /**
   * Writes the new data of a resource read at `current.version`, with marker/lookup swaps, an audit
   * record when `active` flips, and as many member ops as fit in the same transaction.
   */
  private async writeResourceChange(
    type: ResourceType,
    current: StoredResource,
    data: Json,
    opts: { expectedVersion?: ExpectedVersion; actor?: string },
    ops: MemberOp[],
  ): Promise<{ resource: StoredResource; rest: MemberOp[] }> {
    const id = current.id;
    const now = this.now();
    const before = resourceIndexes(type, id, current.data);
    const after = resourceIndexes(type, id, data);
    const actions: TxAction[] = [];
    // Unique marker swap (case-only changes keep the marker: it is keyed by the lowercased value).
    const oldMarkers = new Map(before.unique.map((u) => [keyString(u.key), u]));
    const newMarkers = new Map(after.unique.map((u) => [keyString(u.key), u]));
    for (const [k, u] of oldMarkers) if (!newMarkers.has(k)) actions.push(this.deleteMarker(u.key, id));
    for (const [k, u] of newMarkers) if (!oldMarkers.has(k)) actions.push(this.putMarker(type, id, u.attribute, u.value));
    const oldLookups = new Map(before.lookups.map((l) => [keyString(l.key), l]));
    const newLookups = new Map(after.lookups.map((l) => [keyString(l.key), l]));
    for (const [k, l] of oldLookups) if (!newLookups.has(k)) actions.push({ item: { Delete: { TableName: this.table, Key: l.key } } });
    for (const [k, l] of newLookups) {
      if (JSON.stringify(oldLookups.get(k)?.attributes) !== JSON.stringify(l.attributes)) {
        actions.push({ item: { Put: { TableName: this.table, Item: { ...l.key, ...l.attributes } } } });
      }
    }
    const wasActive = current.data.active !== false;
    const isActive = data.active !== false;
    if (type === 'User' && wasActive !== isActive) {
      actions.push(this.auditAction(now, type, id, isActive ? 'reactivate' : 'deactivate', data, opts.actor));
    }
    const room = MAX_TRANSACT_ITEMS - 1 - actions.length;
    const { first, rest } = splitOps(ops, room);
    const delta = first.reduce((n, op) => n + (op.kind === 'add' ? 1 : -1), 0);
    checkDataSize(data);
    const resource: StoredResource = {
      ...current,
      version: current.version + 1,
      lastModified: now.toISOString(),
      data,
    };
    if (type === 'Group') resource.memberCount = (current.memberCount ?? 0) + delta;
    // An Update, not a Put: it leaves parentCount alone, which nested-group adds change without a version bump.
    const update: UpdateCommandInput & { ExpressionAttributeValues: Record<string, unknown> } = {
      TableName: this.table,
      Key: resourceKey(type, id),
      UpdateExpression: `SET #data = :data, version = :next, lastModified = :now${type === 'Group' ? ' ADD memberCount :delta' : ''}`,
      ConditionExpression: versionMatches,
      ExpressionAttributeNames: { '#data': 'data' },
      ExpressionAttributeValues: { ':data': data, ':next': resource.version, ':now': resource.lastModified, ':expectedVersion': current.version },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    if (type === 'Group') update.ExpressionAttributeValues[':delta'] = delta;
    const onItemFailed = this.onVersionFailed(type, id, opts.expectedVersion);
    const memberActions = first.flatMap((op) => this.memberActions(id, op));
    if (actions.length === 0 && memberActions.length === 0) {
      // A plain conditional Update costs half the write units of a one-item transaction.
      await this.conditionalUpdate(update, onItemFailed);
    } else {
      await transactWrite(this.doc, [{ item: { Update: update as NonNullable<TransactItem['Update']> }, onConditionFailed: onItemFailed }, ...actions, ...memberActions]);
    }
    return { resource, rest };
  }

  private async deleteResource(
    type: ResourceType,
    id: string,
    opts: { expectedVersion?: ExpectedVersion; actor?: string; cleanupBudget?: number },
  ): Promise<DeleteResult> {
    await retryOnConcurrentWrite(async () => {
      const item = await this.getItem(resourceKey(type, id));
      if (item?.deleting !== undefined) {
        // A delete that stopped half way: finish it, then answer as for any deleted resource.
        await this.cleanupDeleted(type, id, opts.cleanupBudget ?? DEFAULT_CLEANUP_BUDGET);
        throw new NotFoundError(type, id);
      }
      const current = fromResourceItem(item);
      if (!current) throw new NotFoundError(type, id);
      checkVersion(opts.expectedVersion, current.version);
      const now = this.now();
      const indexes = resourceIndexes(type, id, current.data);
      const actions: TxAction[] = [
        {
          item: {
            Update: {
              TableName: this.table,
              Key: resourceKey(type, id),
              UpdateExpression: 'SET deleting = :now REMOVE GSI2PK, GSI2SK',
              ConditionExpression: versionMatches,
              ExpressionAttributeValues: { ':now': now.toISOString(), ':expectedVersion': current.version },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          onConditionFailed: this.onVersionFailed(type, id, opts.expectedVersion),
        },
        ...indexes.unique.map((u) => this.deleteMarker(u.key, id)),
        ...indexes.lookups.map((l) => ({ item: { Delete: { TableName: this.table, Key: l.key } } })),
        this.counterAction(type, -1),
        this.auditAction(now, type, id, 'delete', current.data, opts.actor),
        { item: { Put: { TableName: this.table, Item: { PK: CLEANUP_PK, SK: `${type === 'User' ? 'USER' : 'GROUP'}#${id}`, at: now.toISOString() } } } },
      ];
      await transactWrite(this.doc, actions);
    });
    return { complete: await this.cleanupDeleted(type, id, opts.cleanupBudget ?? DEFAULT_CLEANUP_BUDGET) };
  }

  /** Deletes what a hidden (deleting) resource leaves behind; true when nothing remains. */
  private async cleanupDeleted(type: ResourceType, id: string, budget: number): Promise<boolean> {
    if (type === 'Group') {
      // Its own membership items (their GSI1 entries go with them).
      let remaining = budget;
      for (;;) {
        const page = await queryPage(this.doc, {
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
          ExpressionAttributeValues: { ':pk': resourceKey('Group', id).PK, ':m': MEMBER_PREFIX },
          Limit: Math.min(remaining, 1000),
        });
        if (page.items.length === 0) break;
        await batchWrite(this.doc, this.table, page.items.map((i) => ({ delete: { PK: i.PK as string, SK: i.SK as string } })), { parallel: 8 });
        const nested = page.items.filter((i) => i.memberType === 'Group');
        await Promise.all(nested.map((i) => this.adjustParentCount(i.memberId as string, -1)));
        remaining -= page.items.length;
        if (!page.lastKey) break;
        if (remaining <= 0) return false;
      }
    }
    await this.removeFromAllGroups(id);
    const recheckAt = this.now().getTime() + RECHECK_AFTER_MS;
    await batchWrite(this.doc, this.table, [
      { delete: resourceKey(type, id) },
      // The CLEANUP item stays for one more pass (continueCleanup) and expires by TTL regardless.
      {
        put: {
          PK: CLEANUP_PK,
          SK: `${type === 'User' ? 'USER' : 'GROUP'}#${id}`,
          recheckAfter: new Date(recheckAt).toISOString(),
          [TTL]: Math.floor(recheckAt / 1000) + 86_400,
        },
      },
    ]);
    return true;
  }

  /** Removes `memberId` from every group holding it (reverse index), keeping counts and versions. */
  private async removeFromAllGroups(memberId: string): Promise<void> {
    const { items } = await queryBounded(
      this.doc,
      {
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': reverseMembershipPartition(memberId) },
      },
      100_000,
    );
    const groupIds = items.map((i) => String(i.GSI1SK).slice('GROUP#'.length));
    const now = this.now().toISOString();
    const pair = (gid: string): TxAction[] => [
      { item: { Delete: { TableName: this.table, Key: membershipKey(gid, memberId), ConditionExpression: itemExists } } },
      {
        item: {
          Update: {
            TableName: this.table,
            Key: resourceKey('Group', gid),
            UpdateExpression: 'SET lastModified = :now ADD memberCount :minus, version :one',
            ConditionExpression: resourceIsLive,
            ExpressionAttributeValues: { ':now': now, ':minus': -1, ':one': 1 },
          },
        },
      },
    ];
    for (let i = 0; i < groupIds.length; i += MAX_TRANSACT_ITEMS / 2) {
      const chunk = groupIds.slice(i, i + MAX_TRANSACT_ITEMS / 2);
      try {
        await transactWrite(this.doc, chunk.flatMap(pair));
      } catch (e) {
        if (!(e instanceof ConcurrentModificationError)) throw e;
        // A group of the chunk is being deleted or the membership went away: settle them one by one.
        for (const gid of chunk) {
          try {
            await transactWrite(this.doc, pair(gid));
          } catch (e2) {
            if (!(e2 instanceof ConcurrentModificationError)) throw e2;
            await this.send(() => this.doc.send(new DeleteCommand({ TableName: this.table, Key: membershipKey(gid, memberId) })));
          }
        }
      }
    }
  }

  // ───────────────────────────── shared: members ─────────────────────────────

  /**
   * Checks members before any write: the new ones exist (with their type), they would not make a
   * cycle, and which memberships exist now (so counts stay exact and no-ops are skipped). One
   * BatchGet (100 keys a call) for resources and memberships together.
   */
  private async resolveMembers(
    groupId: string | undefined,
    add: readonly (Omit<MemberRef, 'type'> & { type?: ResourceType })[],
    remove: readonly string[],
  ): Promise<{ adds: MemberRef[]; removes: MemberRef[] }> {
    const keys: Key[] = [];
    for (const m of add) {
      if (m.type !== 'Group') keys.push(resourceKey('User', m.value));
      if (m.type !== 'User') keys.push(resourceKey('Group', m.value));
      if (groupId) keys.push(membershipKey(groupId, m.value));
    }
    if (groupId) for (const r of remove) keys.push(membershipKey(groupId, r));
    const found = keys.length > 0 ? await batchGet(this.doc, this.table, keys, { consistent: true }) : new Map<string, Record<string, unknown>>();
    const missing: string[] = [];
    const adds: ResolvedMember[] = [];
    for (const m of add) {
      const user = m.type !== 'Group' ? fromResourceItem(found.get(keyString(resourceKey('User', m.value)))) : undefined;
      const group = !user && m.type !== 'User' ? fromResourceItem(found.get(keyString(resourceKey('Group', m.value)))) : undefined;
      if (m.value === groupId) throw new CycleError(groupId, [m.value]);
      if (!user && !group) {
        missing.push(m.value);
        continue;
      }
      const exists = groupId ? found.has(keyString(membershipKey(groupId, m.value))) : false;
      const ref: ResolvedMember = { value: m.value, type: user ? 'User' : 'Group', exists };
      if (m.display !== undefined) ref.display = m.display;
      adds.push(ref);
    }
    if (missing.length > 0) throw new InvalidMemberError(missing);
    const nestedAdds = adds.filter((m) => m.type === 'Group' && !m.exists).map((m) => m.value);
    if (groupId && nestedAdds.length > 0) {
      const ancestors = await this.ancestorsOf(groupId);
      const cyclic = nestedAdds.filter((g) => ancestors.has(g));
      if (cyclic.length > 0) throw new CycleError(groupId, cyclic);
    }
    const removes: MemberRef[] = [];
    if (groupId) {
      for (const r of remove) {
        const item = found.get(keyString(membershipKey(groupId, r)));
        if (item) removes.push({ value: r, type: item.memberType as ResourceType });
      }
    }
    return { adds: adds.filter((m) => !m.exists).map(({ exists: _exists, ...m }) => m), removes };
  }

  /** The groups that contain `groupId` directly or transitively (bounded walk up the reverse index). */
  private async ancestorsOf(groupId: string): Promise<Set<string>> {
    const seen = new Set<string>([groupId]);
    let frontier = [groupId];
    while (frontier.length > 0) {
      if (seen.size > this.maxNestedGroups) throw new CycleError(groupId, [], { cause: new Error(`nesting deeper than ${this.maxNestedGroups} groups`) });
      const parents = await this.parentGroups(frontier);
      frontier = parents.filter((p) => !seen.has(p));
      for (const p of frontier) seen.add(p);
    }
    seen.delete(groupId);
    return seen;
  }

  /** The groups holding any of `memberIds` directly (one reverse-index Query each, in parallel). */
  private async parentGroups(memberIds: readonly string[]): Promise<string[]> {
    const pages = await Promise.all(
      memberIds.map((mid) =>
        queryBounded(
          this.doc,
          {
            TableName: this.table,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': reverseMembershipPartition(mid) },
          },
          this.maxNestedGroups * 10,
        ),
      ),
    );
    return [...new Set(pages.flatMap((p) => p.items.map((i) => String(i.GSI1SK).slice('GROUP#'.length))))];
  }

  /** Applies member ops past the first transaction, each chunk with a version bump of the group. */
  private async applyMemberChunks(resource: StoredResource, ops: MemberOp[]): Promise<StoredResource> {
    let current = resource;
    let pending = ops;
    for (let attempt = 0; pending.length > 0; ) {
      const { first, rest } = splitOps(pending, MAX_TRANSACT_ITEMS - 1);
      const delta = first.reduce((n, op) => n + (op.kind === 'add' ? 1 : -1), 0);
      const now = this.now().toISOString();
      try {
        await transactWrite(this.doc, [
          {
            item: {
              Update: {
                TableName: this.table,
                Key: resourceKey('Group', current.id),
                UpdateExpression: 'SET version = :next, lastModified = :now ADD memberCount :delta',
                ConditionExpression: versionMatches,
                ExpressionAttributeValues: { ':next': current.version + 1, ':now': now, ':delta': delta, ':expectedVersion': current.version },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            onConditionFailed: this.onVersionFailed('Group', current.id, undefined),
          },
          ...first.flatMap((op) => this.memberActions(current.id, op)),
        ]);
        current = { ...current, version: current.version + 1, lastModified: now, memberCount: (current.memberCount ?? 0) + delta };
        pending = rest;
        attempt = 0;
      } catch (e) {
        if (!(e instanceof ConcurrentModificationError) || ++attempt >= UPDATE_ATTEMPTS) throw e;
        // Someone else wrote the group or the same memberships: re-read both and redo this chunk.
        await backoff(attempt);
        const fresh = fromResourceItem(await this.getItem(resourceKey('Group', current.id)));
        if (!fresh) throw new NotFoundError('Group', current.id);
        current = fresh;
        const chunk = await this.recheckOps(current.id, first);
        pending = [...chunk, ...rest];
      }
    }
    return current;
  }

  /** Drops ops that are no-ops now (member already added / already removed). */
  private async recheckOps(groupId: string, ops: MemberOp[]): Promise<MemberOp[]> {
    const found = await batchGet(this.doc, this.table, ops.map((op) => membershipKey(groupId, op.member.value)), { consistent: true });
    return ops.filter((op) => found.has(keyString(membershipKey(groupId, op.member.value))) === (op.kind === 'remove'));
  }

  /** Transaction actions of one member op: the membership item, plus the parentCount of a nested group. */
  private memberActions(groupId: string, op: MemberOp): TxAction[] {
    const key = membershipKey(groupId, op.member.value);
    const actions: TxAction[] = [];
    if (op.kind === 'add') {
      const item: Record<string, unknown> = {
        ...key,
        groupId,
        memberId: op.member.value,
        memberType: op.member.type,
        GSI1PK: reverseMembershipPartition(op.member.value),
        GSI1SK: `GROUP#${groupId}`,
      };
      if (op.member.display !== undefined) item.display = op.member.display;
      actions.push({ item: { Put: { TableName: this.table, Item: item, ConditionExpression: itemDoesNotExist } }, onConditionFailed: () => RETRY });
    } else {
      actions.push({ item: { Delete: { TableName: this.table, Key: key, ConditionExpression: itemExists } }, onConditionFailed: () => RETRY });
    }
    if (op.member.type === 'Group') {
      actions.push({
        item: {
          Update: {
            TableName: this.table,
            Key: resourceKey('Group', op.member.value),
            UpdateExpression: 'ADD parentCount :d',
            ConditionExpression: itemExists,
            ExpressionAttributeValues: { ':d': op.kind === 'add' ? 1 : -1 },
          },
        },
        onConditionFailed: () => (op.kind === 'add' ? new InvalidMemberError([op.member.value]) : RETRY),
      });
    }
    return actions;
  }

  private async adjustParentCount(groupId: string, delta: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: resourceKey('Group', groupId),
          UpdateExpression: 'ADD parentCount :d',
          ConditionExpression: itemExists,
          ExpressionAttributeValues: { ':d': delta },
        }),
      );
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return;
      throw mapSdkError(e);
    }
  }

  /** Ids of all current members (bounded paged read, for replaceAll). */
  private async readAllMemberIds(groupId: string): Promise<Set<string>> {
    const { items, truncated } = await queryBounded(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
        ExpressionAttributeValues: { ':pk': resourceKey('Group', groupId).PK, ':m': MEMBER_PREFIX },
        ProjectionExpression: 'memberId',
        ConsistentRead: true,
      },
      this.maxReplaceRead,
    );
    if (truncated) throw new TooManyResultsError(this.maxReplaceRead, { detail: `the group has more than ${this.maxReplaceRead} members; replace them with add/remove PATCH operations instead` });
    return new Set(items.map((i) => i.memberId as string));
  }

  // ───────────────────────────── shared: reads and queries ─────────────────────────────

  private async getResource(type: ResourceType, id: string): Promise<StoredResource | undefined> {
    return fromResourceItem(await this.getItem(resourceKey(type, id)));
  }

  private async getItem(key: Key, projection?: string): Promise<Record<string, unknown> | undefined> {
    // An over-long id or filter value from a request names no item; DynamoDB would answer ValidationException.
    if (!keyFits(key)) return undefined;
    const input: Record<string, unknown> = { TableName: this.table, Key: key, ConsistentRead: true };
    if (projection) {
      const names = projection.split(',').map((p) => p.trim());
      input.ProjectionExpression = names.map((_, i) => `#p${i}`).join(', ');
      input.ExpressionAttributeNames = Object.fromEntries(names.map((n, i) => [`#p${i}`, n]));
    }
    const res = await this.send(() => this.doc.send(new GetCommand(input as unknown as ConstructorParameters<typeof GetCommand>[0])));
    return res.Item;
  }

  private async queryResources(type: ResourceType, q: ResourceQuery): Promise<QueryResult> {
    const plan = normalizePlan(type, q.plan);
    const count = Math.max(0, q.count);
    const startIndex = Math.max(1, q.startIndex ?? 1);
    const fingerprint = q.fingerprint ?? '';
    if (plan.kind === 'list' && !q.predicate && !q.sortBy) return this.streamListing(type, q, count, startIndex, fingerprint);
    // Materialized: a small candidate set from keys, or a bounded listing.
    const candidates = plan.kind === 'list' ? await this.boundedListing(type) : await this.candidates(type, plan);
    let matches = q.predicate ? candidates.filter(q.predicate) : candidates;
    if (q.sortBy) matches = sortResources(matches, q.sortBy, q.sortOrder ?? 'ascending');
    const hash = queryHash(type, fingerprint, 'materialized');
    const offset = q.cursor ? (decodeCursor(hash, q.cursor).o ?? invalidCursor()) : startIndex - 1;
    const resources = matches.slice(offset, offset + count);
    const result: QueryResult = { resources, totalResults: matches.length };
    if (q.cursor !== undefined && offset + count < matches.length && count > 0) result.nextCursor = encodeCursor(hash, { o: offset + count });
    return result;
  }

  /**
   * Unfiltered listing in creation order on GSI2, one page read per request: totalResults from the
   * sharded counter (1 Query); sequential startIndex pages resume from a page-cursor item written
   * when the previous page was served (TTL), so each costs O(count), not O(startIndex).
   */
  private async streamListing(type: ResourceType, q: ResourceQuery, count: number, startIndex: number, fingerprint: string): Promise<QueryResult> {
    const hash = queryHash(type, fingerprint, PAGE_CURSOR_KIND);
    const base: QueryCommandInput = {
      TableName: this.table,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': listingPartition(type) },
    };
    let start: Record<string, unknown> | undefined;
    let knownStart = false;
    const totalPromise = this.countResources(type);
    if (count === 0) return { resources: [], totalResults: await totalPromise };
    if (q.cursor) {
      start = decodeCursor(hash, q.cursor).k ?? invalidCursor();
      knownStart = true;
    } else if (q.cursor === undefined && startIndex > 1) {
      const saved = await this.getItem(pageCursorKey(hash, startIndex));
      if (saved && Number(saved[TTL]) * 1000 > Date.now()) {
        start = saved.lastKey as Record<string, unknown>;
        knownStart = true;
      }
    } else {
      knownStart = true;
    }
    if (!knownStart) {
      // Random access: skip startIndex-1 entries (O(startIndex) once; later sequential pages are cheap).
      let skipped = 0;
      while (skipped < startIndex - 1) {
        const page = await queryPage(this.doc, { ...base, ExclusiveStartKey: start, Limit: Math.min(startIndex - 1 - skipped, 1000), ProjectionExpression: 'PK, SK, GSI2PK, GSI2SK' });
        skipped += page.items.length;
        start = page.lastKey;
        if (!start) return { resources: [], totalResults: await totalPromise };
      }
    }
    const resources: StoredResource[] = [];
    let lastKey = start;
    while (resources.length < count) {
      const page = await queryPage(this.doc, { ...base, ExclusiveStartKey: lastKey, Limit: count - resources.length });
      for (const item of page.items) {
        const r = fromResourceItem(item);
        if (r) resources.push(r);
      }
      lastKey = page.lastKey;
      if (!lastKey) break;
    }
    const result: QueryResult = { resources, totalResults: await totalPromise };
    if (lastKey) {
      if (q.cursor !== undefined) result.nextCursor = encodeCursor(hash, { k: lastKey as Record<string, string> });
      else await this.savePageCursor(hash, startIndex + resources.length, lastKey);
    }
    return result;
  }

  private async savePageCursor(hash: string, startIndex: number, lastKey: Record<string, unknown>): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.pageCursorTtl;
    await this.send(() => this.doc.send(new PutCommand({ TableName: this.table, Item: { ...pageCursorKey(hash, startIndex), lastKey, [TTL]: expiresAt } })));
  }

  /** Reads a whole listing, or TooManyResultsError past maxScanItems. */
  private async boundedListing(type: ResourceType): Promise<StoredResource[]> {
    const { items, truncated } = await queryBounded(
      this.doc,
      { TableName: this.table, IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': listingPartition(type) } },
      this.maxScanItems,
    );
    if (truncated) throw new TooManyResultsError(this.maxScanItems);
    return items.map(fromResourceItem).filter((r): r is StoredResource => r !== undefined);
  }

  /** Candidates of a key plan (<= 2 requests a plan; strongly consistent except the reverse index). */
  private async candidates(type: ResourceType, plan: StorePlan): Promise<StoredResource[]> {
    switch (plan.kind) {
      case 'id': {
        if (type === 'Group' && plan.memberValue !== undefined) {
          const items = await batchGet(this.doc, this.table, [resourceKey(type, plan.value), membershipKey(plan.value, plan.memberValue)], { consistent: true });
          const g = fromResourceItem(items.get(keyString(resourceKey(type, plan.value))));
          return g && items.has(keyString(membershipKey(plan.value, plan.memberValue))) ? [g] : [];
        }
        const r = await this.getResource(type, plan.value);
        return r ? [r] : [];
      }
      case 'userName':
      case 'displayName': {
        const marker = await this.getItem(uniqueKey(type, plan.kind, plan.value));
        if (!marker) return [];
        const r = await this.getResource(type, marker.id as string);
        return r ? [r] : [];
      }
      case 'externalId':
      case 'email': {
        if (!keyFits({ PK: lookupPartition(type, plan.kind, plan.value) })) return [];
        const { items, truncated } = await queryBounded(
          this.doc,
          {
            TableName: this.table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': lookupPartition(type, plan.kind, plan.value) },
            ConsistentRead: true,
          },
          this.maxScanItems,
        );
        if (truncated) throw new TooManyResultsError(this.maxScanItems);
        const wantType = plan.kind === 'email' ? plan.type?.toLowerCase() : undefined;
        const ids = items.filter((i) => !wantType || ((i.emailTypes as string[] | undefined) ?? []).includes(wantType)).map((i) => i.id as string);
        return this.loadResources(type, ids, true);
      }
      case 'member': {
        const groupIds = await this.parentGroups([plan.value]);
        return this.loadResources(type, groupIds, false);
      }
      case 'union': {
        const all = await Promise.all(plan.plans.map((p) => this.candidates(type, normalizePlan(type, p))));
        const byId = new Map<string, StoredResource>();
        for (const r of all.flat()) byId.set(r.id, r);
        return [...byId.values()];
      }
      case 'list':
        return this.boundedListing(type);
    }
  }

  private async loadResources(type: ResourceType, ids: readonly string[], consistent: boolean): Promise<StoredResource[]> {
    if (ids.length === 0) return [];
    const items = await batchGet(this.doc, this.table, ids.map((id) => resourceKey(type, id)), { consistent });
    return ids.map((id) => fromResourceItem(items.get(keyString(resourceKey(type, id))))).filter((r): r is StoredResource => r !== undefined);
  }

  /** totalResults of an unfiltered listing: the sum of the counter shards (one Query). */
  async countResources(type: ResourceType): Promise<number> {
    const page = await queryPage(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': counterPartition(type) },
      ConsistentRead: true,
    });
    return Math.max(0, page.items.reduce((n, i) => n + Number(i.count ?? 0), 0));
  }

  // ───────────────────────────── shared: actions ─────────────────────────────

  private putMarker(type: ResourceType, id: string, attribute: string, value: string): TxAction {
    return {
      item: {
        Put: {
          TableName: this.table,
          Item: { ...uniqueKey(type, attribute, value), id, resourceType: type, attribute },
          ConditionExpression: itemDoesNotExist,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (old) => (old?.id === id ? RETRY : new ConflictError(attribute, value, { existingId: old?.id as string | undefined })),
    };
  }

  private deleteMarker(key: Key, ownerId: string): TxAction {
    // Deletes the marker only while it is ours (a missing one is fine), so a swap never frees another resource's name.
    return {
      item: {
        Delete: {
          TableName: this.table,
          Key: key,
          ConditionExpression: `attribute_not_exists(PK) OR (${markerOwnedBy})`,
          ExpressionAttributeValues: { ':ownerId': ownerId },
        },
      },
      onConditionFailed: () => RETRY,
    };
  }

  private counterAction(type: ResourceType, delta: number): TxAction {
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: counterKey(type, randomInt(COUNTER_SHARDS)),
          UpdateExpression: 'ADD #count :d',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':d': delta },
        },
      },
    };
  }

  private auditAction(at: Date, type: ResourceType, id: string, action: AuditRecord['action'], data: Json, actor: string | undefined): TxAction {
    const item: Record<string, unknown> = {
      ...auditKey(at, type, id, action),
      at: at.toISOString(),
      action,
      resourceType: type,
      resourceId: id,
      // ids only, no personal data (docs/design.md security defaults).
      [TTL]: Math.floor(at.getTime() / 1000) + this.auditRetentionDays * 86_400,
    };
    if (typeof data.externalId === 'string') item.externalId = data.externalId;
    if (actor !== undefined) item.actor = actor;
    return { item: { Put: { TableName: this.table, Item: item } } };
  }

  /** Meaning of a failed `version = :expected` condition, from the item as it was (ALL_OLD). */
  private onVersionFailed(type: ResourceType, id: string, expectedVersion: ExpectedVersion | undefined): OnConditionFailed {
    return (old) => {
      if (!old || old.deleting !== undefined) return new NotFoundError(type, id);
      if (expectedVersion !== undefined && !versionSatisfies(expectedVersion, Number(old.version))) return new PreconditionFailedError(expectedVersion, Number(old.version));
      return RETRY;
    };
  }

  private async conditionalUpdate(input: UpdateCommandInput, onFailed: OnConditionFailed): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    } catch (e) {
      // A write on an item a transaction holds is refused with TransactionConflictException: re-read and retry.
      if (e instanceof Error && e.name === 'TransactionConflictException') throw new ConcurrentModificationError({ cause: e });
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') {
        const raw = (e as { Item?: Record<string, unknown> }).Item;
        const outcome = onFailed(raw ? fromAttributeMap(raw) : undefined);
        throw outcome === RETRY ? new ConcurrentModificationError({ cause: e }) : outcome;
      }
      throw mapSdkError(e);
    }
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw mapSdkError(e);
    }
  }
}

// ───────────────────────────── helpers ─────────────────────────────

function requireString(data: Json, attribute: string): void {
  if (typeof data[attribute] !== 'string' || data[attribute] === '') throw new TypeError(`${attribute} is required`);
}

/** Whether the stored version satisfies an If-Match (any of its versions, RFC 7232 §3.1). */
function versionSatisfies(expected: ExpectedVersion, actual: number): boolean {
  return typeof expected === 'number' ? expected === actual : expected.includes(actual);
}

function checkVersion(expected: ExpectedVersion | undefined, actual: number): void {
  if (expected !== undefined && !versionSatisfies(expected, actual)) throw new PreconditionFailedError(expected, actual);
}

function invalidCursor(): never {
  throw new InvalidCursorError();
}

function displayOf(g: StoredResource): string | undefined {
  return typeof g.data.displayName === 'string' ? g.data.displayName : undefined;
}

function toMemberRef(item: Record<string, unknown>): MemberRef {
  const ref: MemberRef = { value: item.memberId as string, type: item.memberType as ResourceType };
  if (typeof item.display === 'string') ref.display = item.display;
  return ref;
}

function dedupeMembers<T extends { value: string }>(members: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const m of members) if (typeof m.value === 'string' && m.value !== '') byId.set(m.value, m);
  return [...byId.values()];
}

/** Splits member ops so the first part fits `room` transaction actions (a nested group takes 2). */
function splitOps(ops: MemberOp[], room: number): { first: MemberOp[]; rest: MemberOp[] } {
  let used = 0;
  let i = 0;
  for (; i < ops.length; i++) {
    const cost = ops[i].member.type === 'Group' ? 2 : 1;
    if (used + cost > room) break;
    used += cost;
  }
  return { first: ops.slice(0, i), rest: ops.slice(i) };
}

/** Plans the other resource type's kinds would mean nothing here: serve them by the bounded listing (sound). */
function normalizePlan(type: ResourceType, plan: StorePlan): StorePlan {
  if (type === 'User' && (plan.kind === 'displayName' || plan.kind === 'member')) return { kind: 'list' };
  if (type === 'Group' && (plan.kind === 'userName' || plan.kind === 'email')) return { kind: 'list' };
  return plan;
}

function sortResources(rs: StoredResource[], by: (r: StoredResource) => unknown, order: 'ascending' | 'descending'): StoredResource[] {
  const keyed = rs.map((r) => ({ r, k: by(r) }));
  keyed.sort((a, b) => compareSortValues(a.k, b.k, order));
  return keyed.map((x) => x.r);
}

