import { METRIC } from '../contracts/metricNames';
import type { Effect } from './effect';

/** A business metric and the amount to count. */
export interface EffectMetric {
  readonly name: (typeof METRIC)[keyof typeof METRIC];
  readonly value: number;
}

const BY_CHANGE = {
  User: { created: METRIC.usersCreated, updated: METRIC.usersUpdated, deleted: METRIC.usersDeleted },
  Group: { created: METRIC.groupsCreated, updated: METRIC.groupsUpdated, deleted: METRIC.groupsDeleted },
} as const;

/**
 * The provisioning counts of one write, read from its effect: one create/update/delete of its
 * type, activation changes (Entra's soft delete, Okta's deactivate), and members added/removed as
 * applied, so Okta's `replace members`, a PUT and a re-add count what really changed.
 */
export function effectMetrics(effect: Effect): EffectMetric[] {
  const out: EffectMetric[] = [{ name: BY_CHANGE[effect.resourceType][effect.change], value: 1 }];
  if (effect.activation === 'deactivated') out.push({ name: METRIC.usersDeactivated, value: 1 });
  if (effect.activation === 'reactivated') out.push({ name: METRIC.usersReactivated, value: 1 });
  if (effect.membersAdded.length > 0) out.push({ name: METRIC.membersAdded, value: effect.membersAdded.length });
  if (effect.membersRemoved.length > 0) out.push({ name: METRIC.membersRemoved, value: effect.membersRemoved.length });
  return out;
}
