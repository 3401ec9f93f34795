/**
 * How often scheduled work runs, one source for the stack (lib/ScimFunctions.ts's EventBridge
 * Scheduler schedule) and `npm start`'s timer (lambdas/local/startLocalStack.ts), so the local
 * server finishes deferred work exactly as often as a deployed tenant. A leaf module: it imports nothing.
 */

/** How often the maintenance job runs: the stack's EventBridge schedule and `npm start`'s timer. */
export const MAINTENANCE_INTERVAL_MINUTES = 5;

/** The maintenance schedule as an EventBridge Scheduler rate expression (`rate(5 minutes)`; singular for 1). */
export function maintenanceScheduleExpression(minutes: number = MAINTENANCE_INTERVAL_MINUTES): string {
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
