/** A maintenance job on a timer; stop() waits for the run in progress. */
export interface MaintenanceTimer {
  stop(): Promise<void>;
}

/**
 * Runs the maintenance job every intervalMs, as the stack's schedule does, one run at a time (a run
 * still going when the timer fires is not doubled). A failed run is dropped: the next one resumes,
 * as the scheduled Lambda's next invocation would.
 */
export function startMaintenanceTimer(run: () => Promise<unknown>, intervalMs: number): MaintenanceTimer {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= run()
      .catch(() => undefined)
      .finally(() => (running = undefined));
  }, intervalMs);
  // Never keeps the process alive on its own: close() or the server does.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
