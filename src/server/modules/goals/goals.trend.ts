/**
 * The on-track share over a cycle, one point per month end and today, of the goals the caller may
 * see (in a unit and the units below it, when asked). Computed on the server in one set-based pass
 * per point, from the data known now, so a dashboard asks once instead of reading every goal at
 * every month end.
 */
import { and, eq, sql } from "drizzle-orm";
import { monthEndsUntil } from "../../../domain/dates.ts";
import type { ProgressStatus } from "../../../domain/status.ts";
import { onTrackShare, type TrendPoint } from "../../../domain/trend.ts";
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { goals } from "../../db/schema.ts";
import { notFound } from "../../errors.ts";
import { unitExists } from "../units/units.service.ts";
import { findCycles } from "./goals.lookup.repo.ts";
import type { GoalDeps } from "./goals.present.ts";
import { visibleGoalsWhere } from "./goals.visibility.ts";

async function visibleGoalsOfCycle(db: Db, actor: Actor, cycleId: string, unitId: string | undefined) {
  const inUnit = unitId
    ? sql`${goals.unitId} in (
        with recursive down(id) as (
          select u.id from org_units u where u.org_id = ${actor.orgId} and u.id = ${unitId}
          union
          select u.id from org_units u join down on u.parent_id = down.id where u.org_id = ${actor.orgId}
        )
        select id from down)`
    : undefined;
  return db
    .select({ id: goals.id, state: goals.state })
    .from(goals)
    .where(and(visibleGoalsWhere(actor), eq(goals.cycleId, cycleId), inUnit));
}

export async function onTrackTrend(
  deps: GoalDeps,
  actor: Actor,
  q: { cycleId: string; unitId?: string | undefined },
): Promise<TrendPoint[]> {
  const cycle = (await findCycles(deps.db, actor.orgId, [q.cycleId])).get(q.cycleId);
  if (!cycle) throw notFound("cycle");
  if (q.unitId && !(await unitExists(deps.db, actor.orgId, q.unitId))) throw notFound("unit");
  const { today } = await deps.progress.orgContext(actor.orgId);
  if (today < cycle.startDate) return [];
  const until = today < cycle.endDate ? today : cycle.endDate;
  const visible = await visibleGoalsOfCycle(deps.db, actor, q.cycleId, q.unitId);
  const points: TrendPoint[] = [];
  // One point at a time: each is a full pass over the organisation's goals.
  for (const date of monthEndsUntil(cycle.startDate, until)) {
    const statuses: Map<string, ProgressStatus> = await deps.progress.statusesOn(actor.orgId, date);
    points.push(
      onTrackShare(
        date,
        visible.map((g) => ({ state: g.state, status: statuses.get(g.id) ?? null })),
      ),
    );
  }
  return points;
}
