import { ScimError } from '../../scim/errors';
import { logger } from '../../http/observability';
import type { MemberRef, RollbackEntry, RollbackJournalRef, StoredResource } from '../../store';
import { compensateEntry, type Compensation } from '../../provisioning';
import type { BulkDeps } from './deps';
import { BULK_ROLLBACK_URN } from './capabilities';
import type { BulkOperation, BulkResult } from '../../scim/messages';

/**
 * The all-or-nothing extension of /Bulk, advertised in /ServiceProviderConfig. A BulkRequest that
 * lists this URN in `schemas` is applied entirely or not at all: operations run one at a time,
 * DELETEs last, and the first failure (or the time budget running out) undoes every operation
 * already applied, from the image each resource had before it. The BulkResponse lists this URN
 * too, with what was rolled back. Governance tools expect a failed batch to be reversible.
 */
export { BULK_ROLLBACK_URN };

/** Most members a group may have for an all-or-nothing operation to snapshot it (its prior image is restored whole). */
export const MAX_ROLLBACK_GROUP_MEMBERS = 10_000;

/** Milliseconds one compensation is assumed to take (one or two conditional writes). */
const COMPENSATION_ESTIMATE_MS = 150;

/** True when the BulkRequest asks for all-or-nothing (its `schemas` lists BULK_ROLLBACK_URN, any case). */
export function wantsAllOrNothing(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const schemas = Object.entries(body).find(([k]) => k.toLowerCase() === 'schemas')?.[1];
  return Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_ROLLBACK_URN.toLowerCase());
}

/** Operation indexes with every DELETE after the others, each group in request order. */
export function deletesLast(operations: readonly BulkOperation[]): number[] {
  const indexes = operations.map((_, i) => i);
  return [...indexes.filter((i) => operations[i].method !== 'DELETE'), ...indexes.filter((i) => operations[i].method === 'DELETE')];
}

/** A resource as it was before an operation changed it: the stored attributes and, for a group, its members. */
interface PriorImage {
  readonly resource: StoredResource;
  readonly members?: MemberRef[];
}

/** What capture hands to `applied`: a create's pre-chosen id, or the prior image. */
interface Captured {
  readonly newId?: string;
  readonly before?: PriorImage;
  /** The journal entry written for the operation. */
  readonly entry?: RollbackEntry;
}

/** One applied operation and how to undo it. */
interface Applied {
  readonly index: number;
  readonly op: BulkOperation;
  readonly entry?: RollbackEntry;
  readonly id: string;
}

function targetOf(path: string): { type: 'User' | 'Group'; id?: string } | undefined {
  const [collection, id] = path.split('/').filter(Boolean);
  const type = collection?.toLowerCase() === 'users' ? 'User' : collection?.toLowerCase() === 'groups' ? 'Group' : undefined;
  return type ? { type, id } : undefined;
}

/**
 * The record of an all-or-nothing BulkRequest, kept in memory for the response and in the table
 * (store/rollbackJournal.ts) for recovery: `open` writes the journal before the first operation;
 * `capture` writes, before each operation, what compensates it (a create's id, chosen now and
 * handed to the create; an update's prior image); on failure the compensations run newest first,
 * then the journal is deleted, as on success. Each compensation is idempotent
 * (provisioning/compensateBulk.ts), so when the invocation dies mid-bulk or mid-rollback the
 * maintenance job (handlers/maintenance.ts) finishes from the journal and converges.
 */
export class RollbackJournal {
  private readonly entries: Applied[] = [];
  private ref?: RollbackJournalRef;
  private seq = 0;

  constructor(private readonly deps: BulkDeps) {}

  /** Writes the journal's head item; call before the first operation. */
  async open(): Promise<void> {
    this.ref = await this.deps.store.openRollbackJournal(this.deps.store.newId());
  }

  /** Deletes the journal: the request succeeded, or its rollback finished. */
  async close(): Promise<void> {
    if (this.ref) await this.deps.store.closeRollbackJournal(this.ref);
    this.ref = undefined;
  }

  /** Time to keep for undoing what has been applied so far. */
  reserveMs(): number {
    return this.entries.length * COMPENSATION_ESTIMATE_MS;
  }

  /**
   * Journals what will compensate an operation (bulkIds resolved), before it runs: a POST's new
   * id (handed to the create as `newId`), or the prior image of a PUT or PATCH target (read
   * strongly consistent). A DELETE is not journaled: it is not reversible (DELETEs run last).
   */
  async capture(op: BulkOperation): Promise<Captured | undefined> {
    const target = targetOf(op.path);
    if (!target) return undefined;
    const { store } = this.deps;
    if (op.method === 'POST') {
      const newId = store.newId();
      const entry = await this.record({ seq: 0, index: -1, method: op.method, type: target.type, id: newId, kind: 'created' }, op);
      return { newId, entry };
    }
    if (!target.id) return undefined;
    const resource = target.type === 'User' ? await store.getUser(target.id) : await store.getGroup(target.id);
    // A missing target fails the operation itself (404), with nothing to undo.
    if (!resource) return undefined;
    let before: PriorImage = { resource };
    if (target.type === 'Group') {
      if ((resource.memberCount ?? 0) > MAX_ROLLBACK_GROUP_MEMBERS) {
        throw ScimError.badRequest('tooMany', `Group ${target.id} has more than ${MAX_ROLLBACK_GROUP_MEMBERS} members: an all-or-nothing BulkRequest cannot snapshot it; send this operation without the ${BULK_ROLLBACK_URN} extension`);
      }
      const members: MemberRef[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listMembers(target.id, { limit: 1000, cursor });
        members.push(...page.members);
        cursor = page.cursor;
      } while (cursor);
      before = { resource, members };
    }
    if (op.method === 'DELETE') return { before };
    const entry = await this.record({ seq: 0, index: -1, method: op.method, type: target.type, id: resource.id, kind: 'updated', before: resource, members: before.members }, op);
    return { before, entry };
  }

  /** Writes an entry (its run order assigned here) to the journal, before its operation runs. */
  private async record(entry: RollbackEntry, op: BulkOperation): Promise<RollbackEntry> {
    const full: RollbackEntry = { ...entry, seq: this.seq++, ...(op.bulkId ? { bulkId: op.bulkId } : {}) };
    if (this.ref) await this.deps.store.recordRollbackEntry(this.ref, full);
    return full;
  }

  /** Records an operation that succeeded (`op` as handed to capture, bulkIds resolved). */
  applied(index: number, op: BulkOperation, _result: BulkResult, captured: Captured | undefined): void {
    const target = targetOf(op.path);
    if (!target) return;
    const entry = captured?.entry && { ...captured.entry, index };
    if (op.method === 'POST') {
      if (captured?.newId) this.entries.push({ index, op, entry, id: captured.newId });
    } else if (captured?.before) {
      this.entries.push({ index, op, entry, id: captured.before.resource.id });
    }
  }

  /** Undoes one applied operation; idempotent. */
  private async compensate(applied: Applied): Promise<Compensation> {
    if (!applied.entry) return 'notReversible';
    try {
      return await compensateEntry(this.deps.store, applied.entry);
    } catch (e) {
      logger.error('bulk rollback: compensation failed', { index: applied.index, kind: applied.entry.kind, errorName: (e as Error).name });
      return 'failed';
    }
  }

  /**
   * Undoes every applied operation, newest first, and rewrites the BulkResponse: rolled-back
   * operations answer 424 (or 503 when the time budget was the cause, so the client resends the
   * whole request), operations never started 424, the failed one its own error.
   */
  async rollback(
    results: readonly (BulkResult | undefined)[],
    operations: readonly BulkOperation[],
    failedIndex: number | undefined,
  ): Promise<{ operations: BulkResult[]; summary: Record<string, unknown> }> {
    const outcome = new Map<number, Compensation>();
    for (const entry of [...this.entries].reverse()) outcome.set(entry.index, await this.compensate(entry));
    // A compensation that failed (throttling, say) leaves the journal open: maintenance retries it.
    if ([...outcome.values()].every((c) => c !== 'failed')) await this.close();
    const cause =
      failedIndex !== undefined
        ? `operation ${failedIndex}${operations[failedIndex].bulkId ? ` (bulkId ${operations[failedIndex].bulkId})` : ''} failed`
        : 'the request ran out of time';
    const status = failedIndex !== undefined ? 424 : 503;
    const undone = (op: BulkOperation, detail: string): BulkResult => ({
      method: op.method,
      ...(op.bulkId ? { bulkId: op.bulkId } : {}),
      status: String(status),
      response: new ScimError(status, undefined, detail).toBody(),
    });
    const out = operations.map((op, i): BulkResult => {
      const result = results[i];
      const compensation = outcome.get(i);
      if (compensation === 'deleted' || compensation === 'restored') return undone(op, `Applied, then rolled back because ${cause}`);
      if (compensation === 'notReversible' || compensation === 'failed') return result!;
      if (i === failedIndex && result) return result;
      if (result && Number(result.status) >= 400 && Number(result.status) !== 503) return result;
      return undone(op, `Not applied because ${cause}`);
    });
    const summary = {
      rolledBack: [...outcome.values()].every((c) => c === 'deleted' || c === 'restored'),
      cause,
      operations: this.entries.map((e) => ({ index: e.index, method: e.op.method, ...(e.op.bulkId ? { bulkId: e.op.bulkId } : {}), id: e.id, compensation: outcome.get(e.index) })),
    };
    return { operations: out, summary };
  }
}
