/** Moving a goal through its states, with the SMART gate before `active`. */
import type { Actor } from "../../actor.ts";
import { AppError } from "../../errors.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { lockUnchanged, recordVersion, requireManageableGoal } from "./goals.access.ts";
import { canMove, canOverrideSmart, MIN_OVERRIDE_REASON, TRANSITIONS } from "./goals.policy.ts";
import { checkGoalSmart, definitionOf, type GoalDeps } from "./goals.present.ts";
import { contributorsOf, type GoalRow, updateGoal } from "./goals.repo.ts";
import type { TransitionInput } from "./goals.schema.ts";

const SMART_LETTERS = ["specific", "measurable", "achievable", "relevant", "timeBound"] as const;

/**
 * Moves the goal to `to` when the state machine allows it. Activating needs a passing SMART check,
 * unless an administrator overrides it with a reason (kept on the goal and in the audit log). Each
 * move writes a version, so the goal's state as of a past date is known.
 */
export async function transitionGoal(
  deps: GoalDeps,
  actor: Actor,
  id: string,
  input: TransitionInput,
): Promise<GoalRow> {
  const read = await requireManageableGoal(deps, actor, id);
  const contributors = (await contributorsOf(deps.db, actor.orgId, [id])).get(id) ?? [];
  const goal = definitionOf(read, contributors);
  const from = goal.state;
  if (from === input.to) throw new AppError("conflict", `the goal is already ${from}`);
  if (!canMove(from, input.to)) {
    const allowed = TRANSITIONS[from];
    throw new AppError(
      "conflict",
      `a ${from} goal cannot become ${input.to}; it may become ${allowed.join(", ") || "nothing (it is final)"}`,
    );
  }
  if (input.overrideSmart && !canOverrideSmart(actor)) {
    throw new AppError("forbidden", "only an administrator may override the SMART check");
  }
  let override: { reason: string; failing: Record<string, string[]> } | null = null;
  if (input.to === "active") {
    const smart = await checkGoalSmart(deps.db, actor, goal);
    const failing = Object.fromEntries(
      SMART_LETTERS.filter((l) => !smart[l].pass).map((l) => [l, smart[l].reasons]),
    );
    if (!smart.pass && !input.overrideSmart) {
      throw new AppError(
        "conflict",
        Object.entries(failing).flatMap(([letter, reasons]) =>
          reasons.map((message) => ({ field: `smart.${letter}`, message })),
        ),
      );
    }
    if (!smart.pass) {
      const reason = input.reason ?? "";
      if (reason.length < MIN_OVERRIDE_REASON) {
        throw new AppError("invalid", {
          field: "reason",
          message: `overriding the SMART check needs a reason of at least ${MIN_OVERRIDE_REASON} characters`,
        });
      }
      override = { reason, failing };
    }
  }
  const at = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await lockUnchanged(tx, read);
    const row = await updateGoal(tx, actor.orgId, id, {
      state: input.to,
      version: read.version + 1,
      updatedAt: at.toISOString(),
      ...(override ? { smartOverrideReason: override.reason } : {}),
    });
    await recordVersion(tx, actor, row, contributors, at, input.reason ?? `${from} → ${input.to}`);
    await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at }, [
      {
        action: "goal.state_changed",
        entityType: "goal",
        entityId: id,
        data: {
          from,
          to: input.to,
          version: row.version,
          reason: input.reason ?? null,
          smartOverride: override,
        },
      },
    ]);
    await deps.progress.recomputeForGoals(tx, actor.orgId, [id]);
    return row;
  });
}
