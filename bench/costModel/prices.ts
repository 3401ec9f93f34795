/**
 * AWS list prices used by the cost model: us-east-1, on-demand, no free tier (free tiers are per
 * account, shared by every tenant in it). Entered from the AWS pricing pages as of `PRICES_AS_OF`;
 * the bench runs offline, so they are not re-fetched: check them before quoting a figure.
 */
export const PRICES_AS_OF = '2025-10-01';

/** The region the prices are for. */
export const PRICES_REGION = 'us-east-1';

/** USD prices by service. */
export const PRICES = {
  apiGateway: {
    /** REST API, first 333 million requests a month. */
    restPerMillionRequests: 3.5,
  },
  lambda: {
    /** arm64 (Graviton), per GB-second of billed duration; INIT is billed like duration (since 2025-08-01). */
    arm64PerGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
  },
  dynamodb: {
    /** On-demand, per million write request units (price cut of 2024-11). */
    perMillionWriteUnits: 0.625,
    /** On-demand, per million read request units. */
    perMillionReadUnits: 0.125,
    /** Standard table class, per GB-month. */
    storagePerGbMonth: 0.25,
    /** Continuous backups (PITR), per GB-month of table size. */
    pitrPerGbMonth: 0.2,
  },
  cloudwatch: {
    dashboardPerMonth: 3,
    /** Standard-resolution alarm, per metric it evaluates (a metric-math alarm pays for each metric). */
    alarmMetricPerMonth: 0.1,
    /** High-resolution (period < 60 s) alarm, per metric. */
    highResAlarmMetricPerMonth: 0.3,
    compositeAlarmPerMonth: 0.5,
    /** Custom metric (first 10,000), per metric-month, prorated by the hour it is emitted in. */
    customMetricPerMonth: 0.3,
    logsIngestionPerGb: 0.5,
    logsStoragePerGbMonth: 0.03,
  },
  secretsManager: {
    secretPerMonth: 0.4,
    perTenThousandCalls: 0.05,
  },
  kms: {
    keyPerMonth: 1,
  },
  waf: {
    webAclPerMonth: 5,
    rulePerMonth: 1,
    perMillionRequests: 0.6,
  },
  eventBridge: {
    /** Scheduled rules on the default bus: no charge for the schedule itself. */
    scheduledRuleInvocation: 0,
    /** EventBridge Scheduler, per million invocations beyond the account's 14 million free ones. */
    schedulerPerMillionInvocations: 1,
  },
} as const;

/** Hours in an average month (365 × 24 / 12), CloudWatch's proration unit. */
export const HOURS_PER_MONTH = 730;

/** Seconds in an average month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
