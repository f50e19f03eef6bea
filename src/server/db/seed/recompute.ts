/** After seeding, fill `goal_progress` so the first dashboard has figures. */
import type { Clock } from "../../clock.ts";
import { createProgressService } from "../../modules/progress/progress.service.ts";
import type { Db } from "../connection.ts";

export async function recomputeProgress(db: Db, orgId: string, today: string, now: Date): Promise<number> {
  const clock: Clock = { now: () => now };
  const result = await createProgressService({ db, clock }).recomputeAll(orgId, today);
  return result.goals;
}
