import type { AuditEntry } from '../../lambdas/events/auditEntry';

/** How each operation reads in the trail: deprovisioning and deletion say so. */
const WHAT: Record<AuditEntry['operation'], string> = {
  'user.created': 'created user',
  'user.updated': 'updated user',
  'user.deactivated': 'DEPROVISIONED (active=false) user',
  'user.reactivated': 'reactivated user',
  'user.deleted': 'DELETED user',
  'group.created': 'created group',
  'group.updated': 'updated group',
  'group.deleted': 'DELETED group',
  'group.members_added': 'added members to group',
  'group.members_removed': 'removed members from group',
};

/** One line of `npm run audit`: when, what, which resource, versions, who, request, address. */
export function formatAuditEntry(e: AuditEntry): string {
  const who = e.actor ? `${e.actor.tokenId}${e.actor.label !== undefined ? ` (${JSON.stringify(e.actor.label)})` : ''}` : 'system (cleanup)';
  const ext = e.externalId !== undefined ? ` externalId=${e.externalId}` : '';
  const changed = e.changedAttributes ? ` changed=${e.changedAttributes.join(',') || '-'}` : '';
  const members = e.memberIds ? ` members=${e.memberIds.join(',')}` : '';
  return `${e.at}  ${WHAT[e.operation]} ${e.resourceId}${ext}  v${e.versionBefore}->v${e.versionAfter}${changed}${members}  by ${who}  request=${e.requestId ?? '-'}  ip=${e.sourceIp ?? '-'}`;
}
