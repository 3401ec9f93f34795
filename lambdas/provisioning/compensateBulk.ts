import { NotFoundError, type RollbackEntry, type ScimRequestStore, type ScimStore } from '../store';

/** What happened to one applied operation when its all-or-nothing BulkRequest was rolled back. */
export type Compensation = 'deleted' | 'restored' | 'notReversible' | 'failed';

/**
 * Undoes one journaled operation, idempotently, whether or not the operation ran (the journal
 * entry is written before it): a create is undone by deleting its pre-chosen id (already gone, or
 * never created: nothing to do); an update by restoring the prior image, unless the resource is
 * still at the prior version (the operation never applied, or failed). Running it twice, or
 * again after a crash part-way, converges on the prior state. A resource deleted since (a DELETE
 * of the same request, which runs last and is not reversible) is `notReversible`.
 */
export async function compensateEntry(store: ScimRequestStore, entry: RollbackEntry): Promise<Exclude<Compensation, 'failed'>> {
  if (entry.kind === 'created') {
    try {
      await (entry.type === 'User' ? store.deleteUser(entry.id) : store.deleteGroup(entry.id));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    return 'deleted';
  }
  const before = entry.before;
  if (!before) return 'notReversible';
  const current = entry.type === 'User' ? await store.getUser(entry.id) : await store.getGroup(entry.id);
  if (!current) return 'notReversible';
  if (current.version === before.version) return 'restored';
  try {
    if (entry.type === 'User') await store.replaceUser(entry.id, before.data);
    else await store.replaceGroup(entry.id, before.data, entry.members ?? []);
  } catch (e) {
    if (e instanceof NotFoundError) return 'notReversible';
    throw e;
  }
  return 'restored';
}

/**
 * Finishes the rollback of every all-or-nothing BulkRequest whose invocation died: journals opened
 * before `openedBefore` (a bulk invocation cannot still be running then) are compensated newest
 * entry first and closed. A journal whose compensation throws stays open for the next run.
 * Returns how many journals were closed and how many stay open.
 */
export async function recoverRollbacks(store: ScimStore, openedBefore: Date): Promise<{ recovered: number; open: number }> {
  let recovered = 0;
  let open = 0;
  for (const journal of await store.openRollbackJournals(openedBefore)) {
    try {
      const entries = await store.rollbackEntries(journal);
      for (const entry of [...entries].reverse()) await compensateEntry(store, entry);
      await store.closeRollbackJournal(journal);
      recovered++;
    } catch {
      open++;
    }
  }
  return { recovered, open };
}
