import { ScimError } from '../../scim/errors';
import { logger } from '../../http/observability';
import { NotFoundError, type MemberRef, type StoredResource } from '../../store';
import type { HandlerDeps } from './deps';
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

/** One applied operation and how to undo it. */
interface Applied {
  readonly index: number;
  readonly op: BulkOperation;
  readonly type: 'User' | 'Group';
  readonly id: string;
  readonly kind: 'created' | 'updated' | 'deleted';
  readonly before?: PriorImage;
}

/** What happened to one applied operation when the request was rolled back. */
type Compensation = 'deleted' | 'restored' | 'notReversible' | 'failed';

function targetOf(path: string): { type: 'User' | 'Group'; id?: string } | undefined {
  const [collection, id] = path.split('/').filter(Boolean);
  const type = collection?.toLowerCase() === 'users' ? 'User' : collection?.toLowerCase() === 'groups' ? 'Group' : undefined;
  return type ? { type, id } : undefined;
}

/**
 * The record of an all-or-nothing BulkRequest: the prior image of each resource before an
 * operation changes it, then, on failure, the compensations in reverse order. Each compensation
 * is idempotent (deleting what is already gone succeeds; restoring a prior image twice leaves the
 * same state), so running it again after an interruption converges on the state before the request.
 * It lives in the invocation's memory, not in the table: reserveMs keeps the time to run every
 * compensation inside the function's timeout, and an invocation that dies anyway (out of memory,
 * a crash) leaves what it applied, answered 502 (README "All-or-nothing bulk" says why no durable
 * plan: an exact one needs a create's id before the create and prior images over 400 KB).
 */
export class RollbackJournal {
  private readonly entries: Applied[] = [];

  constructor(private readonly deps: HandlerDeps) {}

  /** Time to keep for undoing what has been applied so far. */
  reserveMs(): number {
    return this.entries.length * COMPENSATION_ESTIMATE_MS;
  }

  /** Reads the prior image an operation's compensation restores (PUT, PATCH, DELETE; bulkIds resolved), strongly consistent. */
  async capture(op: BulkOperation): Promise<PriorImage | undefined> {
    if (op.method === 'POST') return undefined;
    const target = targetOf(op.path);
    if (!target?.id) return undefined;
    const { store } = this.deps;
    const resource = target.type === 'User' ? await store.getUser(target.id) : await store.getGroup(target.id);
    // A missing target fails the operation itself (404), with nothing to undo.
    if (!resource) return undefined;
    if (target.type !== 'Group') return { resource };
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
    return { resource, members };
  }

  /** Records an operation that succeeded. */
  applied(index: number, op: BulkOperation, result: BulkResult, before: PriorImage | undefined): void {
    const target = targetOf(op.path);
    if (!target) return;
    if (op.method === 'POST') {
      const id = result.location?.split('/').pop();
      if (id) this.entries.push({ index, op, type: target.type, id, kind: 'created' });
    } else if (before) {
      this.entries.push({ index, op, type: target.type, id: before.resource.id, kind: op.method === 'DELETE' ? 'deleted' : 'updated', before });
    }
  }

  /** Undoes one applied operation; idempotent. */
  private async compensate(entry: Applied): Promise<Compensation> {
    const { store } = this.deps;
    if (entry.kind === 'deleted') return 'notReversible';
    try {
      if (entry.kind === 'created') {
        await (entry.type === 'User' ? store.deleteUser(entry.id) : store.deleteGroup(entry.id));
        return 'deleted';
      }
      const before = entry.before!;
      if (entry.type === 'User') await store.replaceUser(entry.id, before.resource.data);
      else await store.replaceGroup(entry.id, before.resource.data, before.members ?? []);
      return 'restored';
    } catch (e) {
      // Already gone: deleting it was the compensation (a retry of an interrupted rollback).
      if (e instanceof NotFoundError && entry.kind === 'created') return 'deleted';
      logger.error('bulk rollback: compensation failed', { index: entry.index, kind: entry.kind, errorName: (e as Error).name });
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
