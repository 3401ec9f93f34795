import {
  API_GATEWAY_INTEGRATION_TIMEOUT_MS,
  API_GATEWAY_MAX_REQUEST_BYTES,
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_RESERVED_CONCURRENCY,
  BULK_FUNCTION_MEMORY_MB,
  FUNCTION_TIMEOUT_SECONDS,
  LAMBDA_MAX_REQUEST_BYTES,
  LAMBDA_MAX_RESPONSE_BYTES,
  type FunctionName,
} from '../contracts/awsLimits';

/**
 * What the local server enforces. The first five are AWS's own limits, from the constants the stack
 * deploys (lambdas/contracts/awsLimits.ts); the rest protect the local process, which unlike API
 * Gateway is one Node server on one machine. Tests shrink any of them to exercise it.
 */
export interface LocalLimits {
  /** API Gateway's request payload limit: over it, 413 before the authorizer runs. */
  readonly maxRequestBytes: number;
  /** Lambda's request payload limit on the serialized proxy event: over it, 413. */
  readonly maxEventBytes: number;
  /** Lambda's response payload limit on the serialized proxy result: over it, 502. */
  readonly maxResponseBytes: number;
  /** API Gateway's integration timeout: past it, 504. */
  readonly integrationTimeoutMs: number;
  /** Each function's timeout: past it, 502 (a function error, as API Gateway reports one). */
  readonly functionTimeoutMs: Readonly<Record<FunctionName, number>>;
  /** Each function's memory, reported in the Lambda context. */
  readonly functionMemoryMb: Readonly<Record<FunctionName, number>>;
  /**
   * Each function's reserved concurrency: one more invocation at once is throttled, which API
   * Gateway answers 502 (INTEGRATION_FAILURE). Functions absent here are not capped.
   */
  readonly functionConcurrency: Readonly<Partial<Record<FunctionName, number>>>;
  /** Requests handled at once; the next ones wait for a slot (maxQueued, maxQueueWaitMs). */
  readonly maxInFlight: number;
  /** Requests waiting for a slot; one more is answered SCIM 503 with Retry-After at once. */
  readonly maxQueued: number;
  /**
   * Longest wait for a slot; a request still waiting is answered SCIM 503 with Retry-After. A
   * burst the server catches up with inside it is served instead of refused, and no request
   * waits longer than the retry its 503 would ask for.
   */
  readonly maxQueueWaitMs: number;
  /**
   * Open connections (slow clients cannot pile up). At the cap, the keep-alive connection idle
   * longest (for at least a second) is closed to make room for a new one; with none idle, a connection past it is
   * answered, not dropped: its first request gets SCIM 503 with Retry-After, then it closes.
   */
  readonly maxConnections: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than clients keep theirs idle
   * (.NET 6+'s HttpClient retires idle connections after 60 s; Node's agent never does): the
   * client closes first, so a request it sends on a connection the server is closing at that very
   * moment (a reset, and a wide window when the server's event loop runs late under load) cannot happen.
   */
  readonly keepAliveTimeoutMs: number;
  /** Time to receive a request's headers. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (a slow body is cut off with 408). */
  readonly requestTimeoutMs: number;
}

/** Seconds a client told 503 by the in-flight cap waits before retrying (RFC 9110 §10.2.3). */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

const seconds = (s: number): number => s * 1000;

/** The limits of a deployed stack, plus the local server's own protections. */
export const AWS_LIMITS: LocalLimits = {
  maxRequestBytes: API_GATEWAY_MAX_REQUEST_BYTES,
  maxEventBytes: LAMBDA_MAX_REQUEST_BYTES,
  maxResponseBytes: LAMBDA_MAX_RESPONSE_BYTES,
  integrationTimeoutMs: API_GATEWAY_INTEGRATION_TIMEOUT_MS,
  functionTimeoutMs: Object.fromEntries(Object.entries(FUNCTION_TIMEOUT_SECONDS).map(([k, v]) => [k, seconds(v)])) as Record<FunctionName, number>,
  functionMemoryMb: Object.fromEntries(
    Object.keys(FUNCTION_TIMEOUT_SECONDS).map((k) => [k, k === 'bulk' ? BULK_FUNCTION_MEMORY_MB : DEFAULT_FUNCTION_MEMORY_MB]),
  ) as Record<FunctionName, number>,
  functionConcurrency: DEFAULT_RESERVED_CONCURRENCY,
  // Two Lambda-sized bursts of an IdP's parallel workers; more only queues behind DynamoDB Local.
  maxInFlight: 64,
  maxQueued: 256,
  maxQueueWaitMs: seconds(OVERLOAD_RETRY_AFTER_SECONDS),
  maxConnections: 256,
  keepAliveTimeoutMs: seconds(65),
  headersTimeoutMs: seconds(10),
  // API Gateway would have given up on the integration long before: a body still arriving after
  // this is a slow client holding a socket, not a sync.
  requestTimeoutMs: seconds(30),
};

/** Limits to override, any subset; function timeouts and memory merge by function. */
export type LocalLimitsInput = Partial<Omit<LocalLimits, 'functionTimeoutMs' | 'functionMemoryMb'>> & {
  readonly functionTimeoutMs?: Partial<Record<FunctionName, number>>;
  readonly functionMemoryMb?: Partial<Record<FunctionName, number>>;
};

/** AWS_LIMITS with `input` applied. */
export function resolveLocalLimits(input: LocalLimitsInput = {}): LocalLimits {
  return {
    ...AWS_LIMITS,
    ...input,
    functionTimeoutMs: { ...AWS_LIMITS.functionTimeoutMs, ...input.functionTimeoutMs },
    functionMemoryMb: { ...AWS_LIMITS.functionMemoryMb, ...input.functionMemoryMb },
  };
}
