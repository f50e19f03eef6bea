/**
 * Check-ins: dated updates on a goal (confidence, narrative, blockers, and the answer the goal reads:
 * a manual value, a milestone done, a rubric level). Recording one recomputes the goal and its
 * ancestors in the same transaction.
 */
import { uuidv7 } from "uuidv7";
import type { Actor } from "../../actor.ts";
import { type Clock, dateInZone } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { AppError, type FieldError } from "../../errors.ts";
import { withIdempotency } from "../../http/idempotency.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { appendAudit } from "../audit/audit.service.ts";
import { createGoalService } from "../goals/goals.service.ts";
import { deriveFormulaMeasurements } from "../measurements/measurements.derive.ts";
import { recordCheckInValue } from "../measurements/measurements.from-check-in.ts";
import { ScopeType } from "../measurements/measurements.schema.ts";
import { createProgressService } from "../progress/progress.service.ts";
import { canCheckIn, OPEN_PHASES } from "./checkins.policy.ts";
import {
  type CheckInContext,
  type CheckInRow,
  insertCheckIn,
  listCheckIns,
  loadCheckInContext,
} from "./checkins.repo.ts";
import type { CheckIn, RecordCheckInInput, RecordedCheckIn } from "./checkins.schema.ts";

type GoalForCheckIn = {
  id: string;
  kind: string;
  state: string;
  startDate: string;
  dueDate: string;
  rubricLevels: number | null;
  metricId: string | null;
};

const toCheckIn = (r: CheckInRow): CheckIn => ({
  id: r.id,
  goalId: r.goalId,
  authorId: r.authorId,
  date: r.checkInDate,
  value: r.value,
  confidence: r.confidence,
  narrative: r.narrative,
  blockers: r.blockers,
  milestoneDone: r.milestoneDone,
  rubricLevel: r.rubricLevel,
  measurementId: r.measurementId,
  createdAt: new Date(r.createdAt).toISOString(),
});

/** Every reason the input does not fit this goal, naming the field. */
export function checkInErrors(
  goal: GoalForCheckIn,
  input: RecordCheckInInput,
  today: string,
  metricCalculation: string | null,
): FieldError[] {
  const errors: FieldError[] = [];
  if (input.date > today)
    errors.push({ field: "date", message: `must not be in the future (today is ${today})` });
  else if (input.date < goal.startDate || input.date > goal.dueDate)
    errors.push({
      field: "date",
      message: `must lie within the goal's window, ${goal.startDate} to ${goal.dueDate}`,
    });
  if (input.value !== undefined) {
    if (goal.metricId === null || (goal.kind !== "metric" && goal.kind !== "range"))
      errors.push({ field: "value", message: "only goals on a metric take a value; leave it out" });
    else if (metricCalculation !== "manual")
      errors.push({
        field: "value",
        message: `the goal's metric is ${metricCalculation ?? "unknown"}, not manual: its values arrive as measurements`,
      });
  }
  if (input.milestoneDone !== undefined && goal.kind !== "milestone")
    errors.push({ field: "milestoneDone", message: "only milestone goals take milestoneDone; leave it out" });
  if (input.rubricLevel !== undefined) {
    if (goal.kind !== "rubric" || goal.rubricLevels === null)
      errors.push({ field: "rubricLevel", message: "only rubric goals take rubricLevel; leave it out" });
    else if (input.rubricLevel > goal.rubricLevels)
      errors.push({ field: "rubricLevel", message: `must lie between 1 and ${goal.rubricLevels}` });
  }
  return errors;
}

function assertMayCheckIn(actor: Actor, goal: { ownerId: string; state: string }, ctx: CheckInContext) {
  if (
    !canCheckIn(actor, {
      ownerId: goal.ownerId,
      contributes: ctx.contributes,
      managesOwner: ctx.managesOwner,
    })
  )
    throw new AppError(
      "forbidden",
      "only the goal's owner, its contributors, the owner's managers, the performance office and administrators check in",
    );
  if (goal.state !== "active")
    throw new AppError("conflict", `the goal is ${goal.state}: check-ins are taken while a goal is active`);
  if (ctx.cyclePhase === null || !OPEN_PHASES.includes(ctx.cyclePhase))
    throw new AppError(
      "locked",
      `the goal's cycle is ${ctx.cyclePhase ?? "gone"}: its data no longer changes`,
    );
}

export function createCheckInsService(deps: { db: Db; clock: Clock }) {
  const goals = createGoalService(deps);
  const progress = createProgressService(deps);
  return {
    /** A visible goal's check-ins, newest first. */
    async listCheckIns(actor: Actor, goalId: string, q: { limit: number; cursor?: string }) {
      await goals.getVisibleGoal(actor, goalId);
      const before = decodeCursor(q.cursor);
      const rows = await listCheckIns(deps.db, actor.orgId, goalId, {
        limit: q.limit + 1,
        ...(before !== undefined ? { before } : {}),
      });
      const page = toPage(rows, q.limit, (r) => r.id);
      return { items: page.items.map(toCheckIn), nextCursor: page.nextCursor };
    },

    /**
     * Records a check-in: 404 when the goal is not visible, 403 for people who may see but not
     * check in, 409 unless the goal is active, 423 once its cycle is locked, 400 for input that does
     * not fit the goal. Audited `checkin.recorded`; the goal and its ancestors are recomputed in the
     * same transaction and the goal's new progress is returned.
     */
    async recordCheckIn(
      actor: Actor,
      goalId: string,
      input: RecordCheckInInput,
      idempotencyKey?: string,
    ): Promise<{ status: number; body: RecordedCheckIn }> {
      const goal = await goals.getVisibleGoal(actor, goalId);
      const ctx = await loadCheckInContext(deps.db, actor.orgId, goal, actor.personId);
      assertMayCheckIn(actor, goal, ctx);
      const now = deps.clock.now();
      const errors = checkInErrors(goal, input, dateInZone(now, ctx.orgTimeZone), ctx.metricCalculation);
      if (errors.length > 0) throw new AppError("invalid", errors);
      const request = {
        orgId: actor.orgId,
        actorId: actor.personId,
        route: `POST /api/v1/goals/${goalId}/check-ins`,
        key: idempotencyKey,
        body: input,
      };
      const answer = await withIdempotency(deps.db, request, async (tx) => {
        // A value on a hand-entered metric is that day's measurement of the goal's series.
        const series =
          input.value !== undefined && goal.metricId !== null
            ? {
                metricId: goal.metricId,
                scopeType: ScopeType.parse(goal.scopeType),
                scopeId: goal.scopeId ?? actor.orgId,
              }
            : null;
        const measurement =
          series && input.value !== undefined
            ? await recordCheckInValue(tx, {
                ...series,
                orgId: actor.orgId,
                actorId: actor.personId,
                now,
                date: input.date,
                value: input.value,
                note: `check-in on goal ${goal.title}`,
              })
            : null;
        const row = await insertCheckIn(tx, {
          orgId: actor.orgId,
          id: uuidv7(),
          goalId,
          authorId: actor.personId,
          checkInDate: input.date,
          value: input.value ?? null,
          confidence: input.confidence,
          narrative: input.narrative,
          blockers: input.blockers,
          milestoneDone: input.milestoneDone ?? null,
          rubricLevel: input.rubricLevel ?? null,
          measurementId: measurement?.id ?? null,
          createdAt: now.toISOString(),
        });
        const checkIn = toCheckIn(row);
        await appendAudit(tx, { orgId: actor.orgId, actorId: actor.personId, at: now }, [
          { action: "checkin.recorded", entityType: "goal", entityId: goalId, data: { checkIn } },
        ]);
        // Other goals on the same series move with it; recomputeForSeries covers this goal too.
        const derived = measurement
          ? await deriveFormulaMeasurements(tx, actor.orgId, [measurement], { actorId: actor.personId, now })
          : [];
        const figures = series
          ? await progress.recomputeForSeries(tx, actor.orgId, [series, ...derived])
          : await progress.recomputeForGoals(tx, actor.orgId, [goalId]);
        const body: RecordedCheckIn = { checkIn, progress: figures.get(goalId) ?? null };
        return { status: 201, body };
      });
      // A replay answers what the first request stored: this same shape.
      return { status: answer.status, body: answer.body as RecordedCheckIn };
    },
  };
}
