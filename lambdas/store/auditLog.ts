import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from '../contracts/tableDefinition';
import { AUDIT_RETENTION_DAYS } from '../contracts/ttls';
import type { AuditEntry } from '../events/auditEntry';
import { batchWrite, queryPage } from './batch';
import { SILO_KEYS, type KeySpace } from './keys';

/**
 * The audit trail the stream handler writes (lambdas/events/auditEntry.ts): one item per change
 * event, `<prefix>AUDITLOG#<commit day>` / `<commit time>#<event id>`, kept AUDIT_RETENTION_DAYS
 * (TTL). The key derives from the event, so a redelivered stream batch rewrites its entries instead
 * of adding more. One partition a day, written by the stream handler at the pace of the stream (in
 * BatchWriteItem calls of 25), never by the request path: a day partition takes 1,000 writes a
 * second, far above one tenant's provisioning traffic.
 */
export class AuditLog {
  private readonly keys: KeySpace;
  private readonly retentionDays: number;

  constructor(private readonly opts: { doc: DynamoDBDocumentClient; tableName: string; keys?: KeySpace; retentionDays?: number }) {
    this.keys = opts.keys ?? SILO_KEYS;
    this.retentionDays = opts.retentionDays ?? AUDIT_RETENTION_DAYS;
  }

  /** Writes entries (idempotent per event id). */
  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await batchWrite(
      this.opts.doc,
      this.opts.tableName,
      entries.map((e) => ({
        put: {
          PK: this.keys.auditLogPartition(e.at.slice(0, 10)),
          SK: `${e.at}#${e.eventId}`,
          ...e,
          [TABLE_DEFINITION.ttlAttribute]: Math.floor(Date.parse(e.at) / 1000) + this.retentionDays * 86_400,
        },
      })),
    );
  }

  /**
   * Entries committed from `since` to `until`, oldest first, one Query per day partition (strongly
   * consistent). `resourceId` keeps a user's or group's own changes and the membership changes
   * naming it (DynamoDB filters them before they leave the table).
   */
  async read(since: Date, until: Date, filter: { resourceId?: string } = {}): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const from = since.toISOString();
    const to = `${until.toISOString()}~`;
    for (let day = Date.parse(`${from.slice(0, 10)}T00:00:00.000Z`); day <= until.getTime(); day += 86_400_000) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await queryPage(this.opts.doc, {
          TableName: this.opts.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': this.keys.auditLogPartition(new Date(day).toISOString().slice(0, 10)),
            ':from': from,
            ':to': to,
            ...(filter.resourceId ? { ':id': filter.resourceId } : {}),
          },
          ...(filter.resourceId ? { FilterExpression: 'resourceId = :id OR contains(memberIds, :id)' } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        });
        for (const item of page.items) {
          const { PK: _pk, SK: _sk, [TABLE_DEFINITION.ttlAttribute]: _ttl, ...entry } = item;
          out.push(entry as unknown as AuditEntry);
        }
        start = page.lastKey;
      } while (start);
    }
    return out;
  }
}
