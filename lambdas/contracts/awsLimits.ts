/**
 * The limits AWS enforces around our functions, as numbers both sides read: lib/ deploys them
 * (function timeouts, memory) and the local server enforces them (lambdas/local/localServer.ts),
 * so `npm start` and every end-to-end test fail exactly where API Gateway and Lambda would.
 * A leaf module: it imports nothing, so lib/ and every layer of lambdas/ may import it.
 */

/**
 * Lambda's synchronous response payload limit, measured on the serialized result (for API
 * Gateway, the JSON of the whole proxy result: status, headers and the body as an escaped string).
 * The figure is the one in Lambda's own error ("Exceeded maximum allowed payload size (6291556
 * bytes)"): 6 MiB plus 100 bytes. Over it, API Gateway answers 502 (INTEGRATION_FAILURE).
 */
export const LAMBDA_MAX_RESPONSE_BYTES = 6_291_556;

/**
 * What the resources of one list page (or the results of one BulkResponse) may add up to, measured
 * on the serialized proxy result: Lambda's limit less room for the status, headers and the
 * ListResponse envelope (schemas, totalResults, a cursor), which stay under 16 KiB.
 */
export const RESPONSE_BUDGET_BYTES = LAMBDA_MAX_RESPONSE_BYTES - 64 * 1024;

/**
 * Lambda's synchronous request payload limit (the serialized invocation event, 6 MiB). An API
 * Gateway request under 10 MB but over this cannot be delivered to the function.
 */
export const LAMBDA_MAX_REQUEST_BYTES = 6_291_456;

/** API Gateway REST's payload limit (10 MB); over it the gateway answers 413 (REQUEST_TOO_LARGE). */
export const API_GATEWAY_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * API Gateway REST's integration timeout: 29 s by default, the most a regional API gets without
 * a quota increase. Past it the gateway answers 504 (INTEGRATION_TIMEOUT) while the function
 * may still be running.
 */
export const API_GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;

/** The stack's functions (lib/ScimFunctions.ts creates one per name). */
export const FUNCTION_NAMES = ['authorizer', 'users', 'groups', 'discovery', 'bulk', 'maintenance'] as const;

/** Name of one of the stack's functions. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Each function's timeout (seconds). The ones behind API Gateway stay below its 29 s, so the
 * function's own timeout (a logged error, and a 502 from the gateway) fires before the gateway's
 * anonymous 504. /Bulk gets the most and plans its work against it (context.getRemainingTimeInMillis).
 */
export const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<FunctionName, number>> = {
  authorizer: 5,
  discovery: 5,
  users: 20,
  groups: 20,
  bulk: 28,
  // Not behind API Gateway: a scheduled job finishing deferred deletions of large groups.
  maintenance: 300,
};

/**
 * Memory (MB) of every function but /Bulk. Lambda allots CPU in proportion (one vCPU at 1,769 MB),
 * so memory is also the CPU a request gets.
 */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

/** Lambda's CPU allotment: one full vCPU per 1,769 MB of memory (AWS Lambda docs, "memory and computing power"). */
export const LAMBDA_MB_PER_VCPU = 1_769;

/**
 * Memory (MB) of the /Bulk function: 5 vCPU (8,845 MB), sized from the work it must fit. A
 * BulkRequest of 1,000 creates with passwords is 1,000 scrypt hashes, ~50 ms of one core each
 * (lambdas/provisioning/password.ts): 50 CPU-seconds, plus the writes (DynamoDB round trips, a
 * fraction of one core). The hashes run on libuv's pool, one thread per vCPU (threadPoolSize), so
 * at 5 vCPU they take ~10 s, ~15 s if a hash costs 70 ms on the deployed CPU: about half the 28 s
 * timeout, the rest margin for slower hashes and DynamoDB retries. Not fewer: at 3 vCPU the same
 * work takes 17-23 s, too close to the timeout. Not Lambda's largest (10,240 MB, 5.8 vCPU): the
 * sixth vCPU is not whole, so it adds no hashing thread, only 16% more GB-seconds. Billed only
 * while a bulk runs. New AWS accounts may be capped at 3,008 MB until AWS raises that quota: the
 * tenant setting `bulkMemoryMb` lowers it, and the bulk time budget then answers the operations
 * that did not fit with a per-operation 503 to retry instead of timing out.
 */
export const BULK_FUNCTION_MEMORY_MB = 5 * LAMBDA_MB_PER_VCPU;

/**
 * Threads of libuv's pool (UV_THREADPOOL_SIZE, where scrypt runs) for a function of `memoryMb`:
 * one per whole vCPU, never fewer than Node's default of 4. Node's default would leave a fifth
 * vCPU idle while 1,000 hashes queue.
 */
export function threadPoolSize(memoryMb: number): number {
  return Math.max(4, Math.floor(memoryMb / LAMBDA_MB_PER_VCPU));
}

/**
 * Reserved concurrency of each function by default (a tenant's `reservedConcurrency` overrides it;
 * absent: the Region's unreserved pool). Reserved concurrency is a cap and a reservation at once, and
 * every tenant of an account draws on one Region-wide pool (1,000 by default, of which Lambda keeps
 * 100 unreserved), so the default reserves only where one tenant could take the pool:
 * - `bulk`: a BulkRequest may run its full 28 s, so a tool sending them in parallel at the stage's
 *   50 requests per second would hold 1,400 executions. Two at once per tenant: a third is
 *   throttled (API Gateway's 502 INTEGRATION_FAILURE, retried by clients), and 450 tenants fit the
 *   default quota.
 * - the others are bounded by the stage throttling (50 per second, bursts of 100) times their
 *   duration (tens of milliseconds; the authorizer's answer is cached): a handful of executions.
 *   Reserving for them would cost the fleet far more of the pool than it protects.
 */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Partial<Record<FunctionName, number>>> = { bulk: 2 };

/**
 * Lambda's concurrency quota per account and Region (default) and the part it never lets anyone
 * reserve: reservations of all functions together stay at or under the difference.
 */
export const LAMBDA_CONCURRENCY = { accountDefault: 1_000, unreservedMinimum: 100 } as const;
