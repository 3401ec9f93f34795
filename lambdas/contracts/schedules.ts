/** How often the maintenance job runs: the stack's EventBridge schedule and `npm start`'s timer. */
export const MAINTENANCE_INTERVAL_MINUTES = 5;
