import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";

/**
 * CONTRACT (stub; the progress module fills it in). Other modules call only these functions.
 */
export type ProgressDto = {
  attainment: number | null;
  expected: number;
  pace: number | null;
  status: string;
  score: number | null;
  asOf: string;
};

export function createProgressService(_deps: { db: Db; clock: Clock }) {
  return {
    /** Progress of these goals as of `asOf` (YYYY-MM-DD; today in the organisation's zone when absent). */
    async getProgress(_orgId: string, _goalIds: string[], _asOf?: string): Promise<Map<string, ProgressDto>> {
      return new Map();
    },
    /** Recomputes the goals that read these metrics, and all their ancestors. Pass the open transaction. */
    async recomputeForMetrics(_tx: Db, _orgId: string, _metricIds: string[]): Promise<void> {},
    /** Recomputes these goals and all their ancestors. Pass the open transaction. */
    async recomputeForGoals(_tx: Db, _orgId: string, _goalIds: string[]): Promise<void> {},
  };
}
