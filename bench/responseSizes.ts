import { LAMBDA_MAX_RESPONSE_BYTES } from '../lambdas/contracts/awsLimits';

/**
 * The largest answer the bench has seen since the last take, as Lambda measures a response
 * against its 6 MB limit: the serialized proxy result (status, headers, body as an escaped
 * string). Fed by the handler harness (exact) and the HTTP client (rebuilt from the answer).
 */
let largest = 0;

/** Records one answer's size in bytes. */
export function recordResponse(bytes: number): void {
  if (bytes > largest) largest = bytes;
}

/** The largest answer since the last call, and starts over. */
export function takeLargestResponse(): number {
  const n = largest;
  largest = 0;
  return n;
}

/** A scenario's largest answer and its share of Lambda's limit. */
export interface LargestResponse {
  readonly bytes: number;
  /** Percent of LAMBDA_MAX_RESPONSE_BYTES. */
  readonly ofLimitPct: number;
}

/** The figure written to latest.json for `bytes` (undefined when the scenario answered nothing). */
export function largestResponse(bytes: number): LargestResponse | undefined {
  return bytes > 0 ? { bytes, ofLimitPct: Math.round((1000 * bytes) / LAMBDA_MAX_RESPONSE_BYTES) / 10 } : undefined;
}
