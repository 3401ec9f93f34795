import type { ResourceType } from './keys';
import type { TableContext } from './tableContext';
import type { AuditRecord } from './types';

/**
 * The audit trail: records are written by the writes they record (actions/putAudit.ts, in the same
 * transaction); this module reads them back.
 */

/** At most this many records are read for one day (a bounded Query). */
const MAX_RECORDS_PER_DAY = 10_000;

/** The audit records of one UTC day (`yyyy-mm-dd`), oldest first. */
export async function auditRecords(ctx: TableContext, day: string): Promise<AuditRecord[]> {
  const { items } = await ctx.queryBounded(
    { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': ctx.keys.auditPartition(day) } },
    MAX_RECORDS_PER_DAY,
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
