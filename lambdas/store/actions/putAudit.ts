import { TABLE_DEFINITION } from '../../contracts/tableDefinition';
import type { ResourceType } from '../keys';
import type { Json } from '../items';
import type { TxAction } from '../transactWrite';
import type { AuditRecord } from '../types';
import type { TableRef } from './tableRef';

/**
 * An audit record, in the same transaction as the change it records; for a deactivation or
 * reactivation alone it is put right after the committed Update instead (resources.ts: half the
 * write units of a transaction). Expires after `retentionDays` (TTL). Ids only, no personal data
 * (docs/design.md security defaults): the externalId links it to the IdP's object.
 */
export function putAudit(
  t: TableRef,
  record: { at: Date; type: ResourceType; id: string; action: AuditRecord['action']; data: Json; actor?: string },
  retentionDays: number,
): TxAction {
  const { at, type, id, action, data, actor } = record;
  const item: Record<string, unknown> = {
    ...t.keys.audit(at, type, id, action),
    at: at.toISOString(),
    action,
    resourceType: type,
    resourceId: id,
    [TABLE_DEFINITION.ttlAttribute]: Math.floor(at.getTime() / 1000) + retentionDays * 86_400,
  };
  if (typeof data.externalId === 'string') item.externalId = data.externalId;
  if (actor !== undefined) item.actor = actor;
  return { item: { Put: { TableName: t.table, Item: item } } };
}
