/** SQL for goals, their contributors and their versions. Every function takes a database or transaction. */
import { and, asc, desc, eq, gt, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../actor.ts";
import type { Db } from "../../db/connection.ts";
import { goalContributors, goals, goalVersions, organizations, people } from "../../db/schema.ts";
import { reportsOf, visibleGoalsWhere } from "./goals.visibility.ts";

export type GoalRow = typeof goals.$inferSelect;
export type NewGoalRow = typeof goals.$inferInsert;
export type VersionRow = typeof goalVersions.$inferSelect;

/** The goal, when it exists and the caller may see it. */
export async function findVisibleGoal(db: Db, actor: Actor, id: string): Promise<GoalRow | undefined> {
  const rows = await db
    .select()
    .from(goals)
    .where(and(visibleGoalsWhere(actor), eq(goals.id, id)));
  return rows[0];
}

/** The goals among `ids` the caller may see. */
export async function findVisibleGoals(db: Db, actor: Actor, ids: string[]): Promise<GoalRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(goals)
    .where(and(visibleGoalsWhere(actor), inArray(goals.id, ids)));
}

/** Takes the goal's row lock for the rest of the transaction: writes to one goal take turns. */
export async function lockGoal(tx: Db, orgId: string, id: string): Promise<GoalRow | undefined> {
  const rows = await tx
    .select()
    .from(goals)
    .where(and(eq(goals.orgId, orgId), eq(goals.id, id)))
    .for("update");
  return rows[0];
}

export async function insertGoal(tx: Db, row: NewGoalRow): Promise<GoalRow> {
  const rows = await tx.insert(goals).values(row).returning();
  const goal = rows[0];
  if (!goal) throw new Error("insert into goals returned no row");
  return goal;
}

export async function updateGoal(
  tx: Db,
  orgId: string,
  id: string,
  set: Partial<NewGoalRow>,
): Promise<GoalRow> {
  const rows = await tx
    .update(goals)
    .set(set)
    .where(and(eq(goals.orgId, orgId), eq(goals.id, id)))
    .returning();
  const goal = rows[0];
  if (!goal) throw new Error(`goal ${id} vanished inside its transaction`);
  return goal;
}

export type ContributorRow = { personId: string; share: number };

/** Contributors of each goal, ordered by person id so snapshots compare stably. */
export async function contributorsOf(
  db: Db,
  orgId: string,
  goalIds: string[],
): Promise<Map<string, ContributorRow[]>> {
  const map = new Map<string, ContributorRow[]>(goalIds.map((id) => [id, []]));
  if (goalIds.length === 0) return map;
  const rows = await db
    .select()
    .from(goalContributors)
    .where(and(eq(goalContributors.orgId, orgId), inArray(goalContributors.goalId, goalIds)))
    .orderBy(asc(goalContributors.goalId), asc(goalContributors.personId));
  for (const r of rows) map.get(r.goalId)?.push({ personId: r.personId, share: r.share });
  return map;
}

export async function replaceContributors(
  tx: Db,
  orgId: string,
  goalId: string,
  list: ContributorRow[],
): Promise<void> {
  await tx
    .delete(goalContributors)
    .where(and(eq(goalContributors.orgId, orgId), eq(goalContributors.goalId, goalId)));
  if (list.length > 0) {
    await tx.insert(goalContributors).values(list.map((c) => ({ orgId, goalId, ...c })));
  }
}

/** Which of these owners report to the caller (directly or indirectly). */
export async function ownersReportingTo(db: Db, actor: Actor, ownerIds: string[]): Promise<Set<string>> {
  const distinct = [...new Set(ownerIds)].filter((id) => id !== actor.personId);
  if (distinct.length === 0) return new Set();
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        eq(people.orgId, actor.orgId),
        inArray(people.id, distinct),
        sql`${people.id} in ${reportsOf(actor)}`,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export async function insertVersion(tx: Db, row: VersionRow): Promise<void> {
  await tx.insert(goalVersions).values(row);
}

export async function listVersions(
  db: Db,
  orgId: string,
  goalId: string,
  opts: { afterVersion?: number; limit: number },
): Promise<Omit<VersionRow, "snapshot" | "orgId" | "goalId">[]> {
  return db
    .select({
      version: goalVersions.version,
      effectiveFrom: goalVersions.effectiveFrom,
      changedBy: goalVersions.changedBy,
      reason: goalVersions.reason,
    })
    .from(goalVersions)
    .where(
      and(
        eq(goalVersions.orgId, orgId),
        eq(goalVersions.goalId, goalId),
        opts.afterVersion !== undefined ? gt(goalVersions.version, opts.afterVersion) : undefined,
      ),
    )
    .orderBy(asc(goalVersions.version))
    .limit(opts.limit);
}

export async function findVersion(
  db: Db,
  orgId: string,
  goalId: string,
  version: number,
): Promise<VersionRow | undefined> {
  const rows = await db
    .select()
    .from(goalVersions)
    .where(
      and(eq(goalVersions.orgId, orgId), eq(goalVersions.goalId, goalId), eq(goalVersions.version, version)),
    );
  return rows[0];
}

/** The version of each goal in force just before `cutoff` (an instant), when there is one. */
export async function versionsInForce(
  db: Db,
  orgId: string,
  goalIds: string[],
  cutoff: string,
): Promise<Map<string, VersionRow>> {
  if (goalIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([goalVersions.goalId])
    .from(goalVersions)
    .where(
      and(
        eq(goalVersions.orgId, orgId),
        inArray(goalVersions.goalId, goalIds),
        lt(goalVersions.effectiveFrom, cutoff),
      ),
    )
    .orderBy(asc(goalVersions.goalId), desc(goalVersions.version));
  return new Map(rows.map((r) => [r.goalId, r]));
}

/**
 * The first instant after the calendar day `asOf` in the organisation's time zone: what was in force
 * "at the end of that day" is what took effect before it.
 */
export async function endOfDay(db: Db, orgId: string, asOf: string): Promise<string> {
  const rows = await db
    .select({
      // ISO text in UTC, so both drivers hand back the same string
      cutoff: sql<string>`to_char(((${asOf}::date + 1)::timestamp at time zone ${organizations.timeZone})
        at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  const value = rows[0]?.cutoff;
  if (value === undefined) throw new Error(`organisation ${orgId} was not found`);
  return value;
}

/** The progress statuses materialised today, for the list filter. */
export function hasProgressStatus(status: string): SQL {
  return sql`exists (select 1 from goal_progress gp
    where gp.org_id = ${goals.orgId} and gp.goal_id = ${goals.id} and gp.status = ${status})`;
}
