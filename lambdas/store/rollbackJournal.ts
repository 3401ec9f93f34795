import { TABLE_DEFINITION } from '../contracts/tableDefinition';
import type { MemberRef, StoredResource } from './items';
import type { ResourceType } from './keys';
import type { TableContext } from './tableContext';

/**
 * The durable rollback journal of an all-or-nothing BulkRequest: a head item written before its
 * first operation, and before each operation an entry saying what compensates it (a create's
 * pre-generated id; an update's prior image). An invocation that dies mid-bulk or mid-rollback
 * leaves the journal open, and the maintenance job finishes the compensation from it. Every item
 * carries a TTL so a journal nobody can finish does not stay forever.
 */

/** Seconds a journal's items live (TTL): the maintenance job (every 5 minutes) finishes one long before. */
export const ROLLBACK_JOURNAL_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Prior members one entry item holds. A member is at most ~1.2 KB (a 1 KB display, the id, the
 * type), so 250 of them stay well under DynamoDB's 400 KB item limit; a group's prior members are
 * split over as many items as needed (MAX_ROLLBACK_GROUP_MEMBERS = 10,000: at most 40).
 */
export const MEMBERS_PER_JOURNAL_ITEM = 250;

/** Open journals one maintenance run looks at. */
const JOURNALS_PER_RUN = 50;

/** An open journal: its id and when it was opened (ISO). */
export interface RollbackJournalRef {
  readonly id: string;
  readonly opened: string;
}

/** What compensates one operation of an all-or-nothing BulkRequest, written before the operation runs. */
export interface RollbackEntry {
  /** Order of the operation within the request's run (compensations run newest first). */
  readonly seq: number;
  /** Index of the operation in the BulkRequest (-1 in the table: the journal is written before the scheduler reports it). */
  readonly index: number;
  readonly method: string;
  readonly bulkId?: string;
  readonly type: ResourceType;
  readonly id: string;
  /** `created`: compensated by deleting `id`; `updated`: by restoring `before` (and a group's `members`). */
  readonly kind: 'created' | 'updated';
  readonly before?: StoredResource;
  readonly members?: MemberRef[];
}

function expiry(ctx: TableContext): number {
  return Math.floor(ctx.now().getTime() / 1000) + ROLLBACK_JOURNAL_TTL_SECONDS;
}

function seqKey(seq: number, chunk: number): string {
  return `${String(seq).padStart(5, '0')}#${String(chunk).padStart(3, '0')}`;
}

/** Writes a journal's head item (one PutItem). */
export async function openRollbackJournal(ctx: TableContext, id: string): Promise<RollbackJournalRef> {
  const opened = ctx.now().toISOString();
  await ctx.putItem({ ...ctx.keys.rollbackJournal(opened, id), journalId: id, opened, [TABLE_DEFINITION.ttlAttribute]: expiry(ctx) });
  return { id, opened };
}

/** Writes one entry (one item, or one per MEMBERS_PER_JOURNAL_ITEM prior members; idempotent puts). */
export async function recordRollbackEntry(ctx: TableContext, journal: RollbackJournalRef, entry: RollbackEntry): Promise<void> {
  const { members, ...rest } = entry;
  const chunks: MemberRef[][] = [];
  for (let i = 0; i < (members?.length ?? 0); i += MEMBERS_PER_JOURNAL_ITEM) chunks.push(members!.slice(i, i + MEMBERS_PER_JOURNAL_ITEM));
  const pk = ctx.keys.rollbackEntries(journal.id);
  const ttl = { [TABLE_DEFINITION.ttlAttribute]: expiry(ctx) };
  const items = [
    { PK: pk, SK: seqKey(entry.seq, 0), entry: JSON.stringify(rest), chunks: chunks.length, hasMembers: members !== undefined, ...ttl },
    ...chunks.map((c, k) => ({ PK: pk, SK: seqKey(entry.seq, k + 1), members: JSON.stringify(c), ...ttl })),
  ];
  // The chunks first, the entry last: an entry is only read back whole.
  if (items.length > 1) await ctx.batchWrite(items.slice(1).map((put) => ({ put })));
  await ctx.putItem(items[0]);
}

/** A journal's entries in run order (Query pages of its partition). */
export async function rollbackEntries(ctx: TableContext, journal: RollbackJournalRef): Promise<RollbackEntry[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.queryPage({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': ctx.keys.rollbackEntries(journal.id) },
      ConsistentRead: true,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    items.push(...page.items);
    start = page.lastKey;
  } while (start);
  const entries: RollbackEntry[] = [];
  for (const item of items) {
    if (typeof item.entry !== 'string') continue;
    const entry = JSON.parse(item.entry) as RollbackEntry;
    if (item.hasMembers !== true) {
      entries.push(entry);
      continue;
    }
    const seq = String(item.SK).split('#')[0];
    const parts = items.filter((i) => String(i.SK).startsWith(`${seq}#`) && typeof i.members === 'string');
    // A chunk missing (its entry is written after every chunk, so only a TTL could do this): no exact prior image.
    if (parts.length !== item.chunks) continue;
    entries.push({ ...entry, members: parts.flatMap((p) => JSON.parse(p.members as string) as MemberRef[]) });
  }
  return entries.sort((a, b) => a.seq - b.seq);
}

/** Deletes a journal: its entries, then its head (so a crash in between leaves it open, to close again). */
export async function closeRollbackJournal(ctx: TableContext, journal: RollbackJournalRef): Promise<void> {
  const pk = ctx.keys.rollbackEntries(journal.id);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.queryPage({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'PK, SK',
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    if (page.items.length > 0) await ctx.batchWrite(page.items.map((i) => ({ delete: { PK: String(i.PK), SK: String(i.SK) } })));
    start = page.lastKey;
  } while (start);
  await ctx.deleteItem(ctx.keys.rollbackJournal(journal.opened, journal.id));
}

/** Journals opened before `openedBefore`, oldest first (one Query on the key range, at most JOURNALS_PER_RUN). */
export async function openRollbackJournals(ctx: TableContext, openedBefore: Date): Promise<RollbackJournalRef[]> {
  const page = await ctx.queryPage({
    KeyConditionExpression: 'PK = :pk AND SK < :before',
    ExpressionAttributeValues: { ':pk': ctx.keys.rollbackPartition(), ':before': openedBefore.toISOString() },
    ConsistentRead: true,
    Limit: JOURNALS_PER_RUN,
  });
  return page.items.map((i) => ({ id: String(i.journalId), opened: String(i.opened) }));
}
