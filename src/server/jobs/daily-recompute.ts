/**
 * Keeps the stored figures of every organisation current as the calendar moves: expected pace and
 * status change at midnight even when no data arrives. At start, and then every few minutes, each
 * organisation whose stored figures are of an earlier day than today in its own time zone is
 * recomputed in full. The check reads the database, not memory, so several server processes on one
 * PostgreSQL server do not repeat each other's work (at worst two recompute the same day once each,
 * which writes the same rows).
 */
import { type Clock, dateInZone } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { latestProgressDay, listOrganisations } from "../modules/progress/progress.repo.ts";
import { createProgressService } from "../modules/progress/progress.service.ts";
import { createMissingDataPass } from "./missing-data-check.ts";

export type RecomputeLog = {
  info: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

const TEN_MINUTES = 10 * 60_000;

export function createDailyRecompute(deps: { db: Db; clock: Clock; log: RecomputeLog }) {
  const progress = createProgressService(deps);
  const missingData = createMissingDataPass(deps);
  let running: Promise<string[]> | null = null;

  /** Recomputes the organisations whose figures are stale; answers their ids. */
  async function runDue(): Promise<string[]> {
    const done: string[] = [];
    for (const org of await listOrganisations(deps.db)) {
      const today = dateInZone(deps.clock.now(), org.timeZone);
      // Stopped series: the full check once a day, resolving open alerts on every tick.
      await missingData.run(org);
      const latest = await latestProgressDay(deps.db, org.id);
      if (latest !== null && latest >= today) continue;
      const started = performance.now();
      const r = await progress.recomputeAll(org.id);
      deps.log.info(
        { orgId: org.id, goals: r.goals, asOf: r.asOf, ms: Math.round(performance.now() - started) },
        "daily recompute",
      );
      done.push(org.id);
    }
    return done;
  }

  return {
    runDue,
    /** Runs now and then every `everyMs`; one run at a time. Answers a function that stops it. */
    start(everyMs = TEN_MINUTES): () => void {
      const tick = () => {
        if (running) return;
        running = runDue()
          .catch((err: unknown) => {
            deps.log.error({ err }, "daily recompute failed");
            return [];
          })
          .finally(() => {
            running = null;
          });
      };
      tick();
      const timer = setInterval(tick, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    /** Waits for a run in progress (used at shutdown, so the database is not closed under it). */
    async idle(): Promise<void> {
      await running;
    },
  };
}
