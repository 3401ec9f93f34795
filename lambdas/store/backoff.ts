/** Waits a random time that grows with the attempt (full jitter, as the AWS SDKs' retry strategy). */
export function backoff(attempt: number, baseMs = 15): Promise<void> {
  const cap = baseMs * 2 ** attempt;
  return new Promise((r) => setTimeout(r, Math.random() * cap));
}
