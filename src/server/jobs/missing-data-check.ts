/**
 * The missing-data check as part of the daily job (daily-recompute.ts calls it for every organisation
 * on each tick, every ten minutes): the full check once a day per organisation, claimed in the
 * database so several processes run it once, and on the other ticks the resolve-only pass over open
 * alerts, so an alert resolves within minutes of its value arriving. See
 * modules/measurements/measurements.missing-data.ts. A failure is logged and never stops the
 * recompute that follows.
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/connection.ts";
import { createMissingDataService } from "../modules/measurements/measurements.missing-data.ts";

export type MissingDataLog = {
  info: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

export function createMissingDataPass(deps: { db: Db; clock: Clock; log: MissingDataLog }) {
  const service = createMissingDataService(deps);
  return {
    async run(org: { id: string; timeZone: string }): Promise<void> {
      try {
        const r = await service.runScheduled(org);
        if (r.full || r.opened > 0 || r.resolved > 0)
          deps.log.info(
            {
              orgId: org.id,
              full: r.full,
              opened: r.opened,
              resolved: r.resolved,
              open: r.open,
              today: r.today,
            },
            "missing-data check",
          );
      } catch (err: unknown) {
        deps.log.error({ err, orgId: org.id }, "missing-data check failed");
      }
    },
  };
}
