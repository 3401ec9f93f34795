import type { AuditEntry } from '../events/auditEntry';
import type { AuditLog } from '../store/auditLog';

/**
 * Writes audit entries to their tenant's audit trail: the one trail of a per-tenant table, or in a
 * pooled table the trail in each entry's tenant key space. Throws when a write fails, so the
 * stream record fails and is retried like an undelivered event.
 */
export class AuditLogSink {
  private readonly logFor: (tenant: string) => AuditLog;

  constructor(log: AuditLog | ((tenant: string) => AuditLog)) {
    this.logFor = typeof log === 'function' ? log : () => log;
  }

  /** Appends the entries of one group of stream records. */
  async append(entries: readonly AuditEntry[]): Promise<void> {
    const byTenant = new Map<string, AuditEntry[]>();
    for (const e of entries) byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), e]);
    for (const [tenant, list] of byTenant) await this.logFor(tenant).append(list);
  }
}
