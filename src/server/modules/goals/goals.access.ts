/** Shared steps of the goal use cases: find what the caller may see, check what they may change, record versions. */
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, notFound } from "../../errors.ts";
import { findCycles } from "./goals.lookup.repo.ts";
import { canManageGoal, isFinal } from "./goals.policy.ts";
import type { GoalDeps } from "./goals.present.ts";
import { definitionOf } from "./goals.present.ts";
import {
  type ContributorRow,
  findVisibleGoal,
  type GoalRow,
  insertVersion,
  lockGoal,
  ownersReportingTo,
} from "./goals.repo.ts";

/** The goal when the caller may see it; otherwise not found, exactly as if it did not exist. */
export async function requireVisibleGoal(db: Db, actor: Actor, id: string): Promise<GoalRow> {
  const goal = await findVisibleGoal(db, actor, id);
  if (!goal) throw notFound(`goal ${id}`);
  return goal;
}

/**
 * The goal when the caller may change it: visible (else 404), theirs to manage (else 403), not final
 * (else 409) and in a cycle that is not closed (else 423).
 */
export async function requireManageableGoal(deps: GoalDeps, actor: Actor, id: string): Promise<GoalRow> {
  const goal = await requireVisibleGoal(deps.db, actor, id);
  const reports = await ownersReportingTo(deps.db, actor, [goal.ownerId]);
  const { ownerId, level, state } = definitionOf(goal, []);
  const facts = { ownerId, level, state, ownerReportsToActor: reports.has(ownerId) };
  if (!canManageGoal(actor, facts)) {
    throw new AppError(
      "forbidden",
      "only the goal's owner, their managers, the performance office and administrators change this goal",
    );
  }
  if (isFinal(facts.state)) {
    throw new AppError("conflict", `the goal is ${goal.state}, which is final; it can no longer change`);
  }
  const cycle = (await findCycles(deps.db, actor.orgId, [goal.cycleId])).get(goal.cycleId);
  if (cycle?.phase === "closed") {
    throw new AppError("locked", "the goal's cycle is closed; its goals can no longer change");
  }
  return goal;
}

/**
 * Re-reads the goal under its row lock and makes sure nobody changed it since it was read outside
 * the transaction (the checks were made against that reading).
 */
export async function lockUnchanged(tx: Db, read: GoalRow): Promise<GoalRow> {
  const locked = await lockGoal(tx, read.orgId, read.id);
  if (!locked || locked.version !== read.version || locked.state !== read.state) {
    throw new AppError("conflict", "the goal changed while this request ran; reload it and try again");
  }
  return locked;
}

/** Writes the immutable snapshot of the goal's definition as it now stands. */
export async function recordVersion(
  tx: Db,
  actor: Actor,
  row: GoalRow,
  contributors: ContributorRow[],
  at: Date,
  reason: string,
): Promise<void> {
  await insertVersion(tx, {
    orgId: row.orgId,
    goalId: row.id,
    version: row.version,
    effectiveFrom: at.toISOString(),
    snapshot: definitionOf(row, contributors),
    changedBy: actor.personId,
    reason,
  });
}
