/**
 * The pulls that "run now" started in this process and that have not finished: the request answers
 * before they end, so the server (and a test) can wait for them before letting go of the database.
 */

/** Pulls that "run now" started in this process and that have not finished. */
const inFlight = new Set<Promise<unknown>>();

export function trackManualRun(done: Promise<unknown>) {
  // A fault of the source is the run's error; what rejects here is the database going away (the
  // run's lease then frees the source after RUN_LEASE_MS).
  const p = done.catch(() => undefined).finally(() => inFlight.delete(p));
  inFlight.add(p);
}

/** Resolves when every pull started by "run now" in this process has finished (shutdown, tests). */
export async function manualRunsIdle(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
