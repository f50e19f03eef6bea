/**
 * The progress use cases a caller reaches over HTTP: who may see a goal's trace, who may start a
 * full recompute. The engine itself (progress.service.ts) trusts its callers.
 */
import { type Actor, isOrgWide } from "../../actor.ts";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { createGoalService } from "../goals/goals.service.ts";
import { type ExplainTrace, explainGoal } from "./progress.explain.ts";
import { createProgressService } from "./progress.service.ts";

export function createProgressAccess(deps: { db: Db; clock: Clock }) {
  const progress = createProgressService(deps);
  const goals = createGoalService(deps);
  return {
    /** The trace of a goal the caller may see (not found otherwise), as of `asOf` or today. */
    async explain(actor: Actor, goalId: string, asOf?: string): Promise<ExplainTrace> {
      await goals.getVisibleGoal(actor, goalId);
      return explainGoal(deps.db, progress, actor.orgId, goalId, asOf);
    },

    /** Recomputes every goal of the organisation; administrators and the performance office only. */
    async recompute(actor: Actor): Promise<{ goals: number; asOf: string; ms: number }> {
      if (!isOrgWide(actor)) {
        throw new AppError(
          "forbidden",
          "only administrators and the performance office start a full recompute",
        );
      }
      const started = performance.now();
      const result = await progress.recomputeAll(actor.orgId);
      const ms = Math.round(performance.now() - started);
      await deps.db.transaction((tx) =>
        appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: deps.clock.now() }, [
          {
            action: "progress.recomputed",
            entityType: "organization",
            entityId: actor.orgId,
            data: { goals: result.goals, asOf: result.asOf, ms },
          },
        ]),
      );
      return { ...result, ms };
    },
  };
}
